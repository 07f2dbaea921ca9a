"""Jinja filters and globals: Indonesian dates, Rupiah, labels, regions, htmx-aware rendering."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import get_month_names
from flask import Flask, g, has_request_context, render_template, request
from flask_babel import format_datetime, get_locale, get_timezone
from jinja2 import pass_context
from jinja2_fragments.flask import render_block
from lokal import format_rupiah

from .forms import first_choice_value
from .services import access, audit, i18n, labels
from .services.identity import mask_nik
from .services.regions import region_name, region_path
from .services.timeutil import utc_to_local

_MONTHS: dict = {}  # babel Locale -> its month names ("MMMM"), looked up once per process


def _months(locale) -> dict:
    names = _MONTHS.get(locale)
    if names is None:
        names = _MONTHS[locale] = dict(get_month_names("wide", "format", locale))
    return names


def _reader():
    """Flask-Babel's context of the request (its zone and locale, once chosen, are kept there:
    get_timezone() and get_locale() find the context again for each of a timeline's dates)."""
    return g.get("_flask_babel") if has_request_context() else None


def _zone():
    return getattr(_reader(), "babel_tzinfo", None) or get_timezone()


def _month_names() -> dict:
    return _months(getattr(_reader(), "babel_locale", None) or get_locale())


def _local(value: datetime) -> datetime:
    """A stored (UTC) time on the reader's office's clock, as Flask-Babel's format_datetime
    puts it (a naive time is UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = _zone()
    if zone is None:
        return value
    value = value.astimezone(zone)
    return zone.normalize(value) if hasattr(zone, "normalize") else value


def page_url(endpoint: str) -> str:
    """url_for(endpoint) of a page with no arguments (the nav, the list's links), built once
    per app process and script root: every signed-in page links to a dozen of them."""
    from flask import current_app, url_for

    cache = current_app.extensions.setdefault("simpul_page_urls", {})
    key = (request.script_root, endpoint)
    url = cache.get(key)
    if url is None:
        url = cache[key] = url_for(endpoint)
    return url


_ID_MARK = 987654321  # an id no page builds: where the id stands in an id_url pattern


def id_url(endpoint: str, name: str):
    """A function id -> url_for(endpoint, name=id) for a page of links to records of one
    kind (the list's 25 case files), the rule built once rather than for every row."""
    from flask import current_app, url_for

    cache = current_app.extensions.setdefault("simpul_id_urls", {})
    key = (request.script_root, endpoint, name)
    parts = cache.get(key)
    if parts is None:
        parts = cache[key] = url_for(endpoint, **{name: _ID_MARK}).split(str(_ID_MARK))
    head, tail = parts
    return lambda record_id: f"{head}{int(record_id)}{tail}"


def tanggal(value) -> str:
    """23 November 2026 (Babel's "d MMMM y", with the month names looked up once: a list
    dates every row)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = _local(value)
    return f"{value.day} {_month_names()[value.month]} {value.year}"


def tanggal_jam(value) -> str:
    """23 November 2026 14.05 (in the office's time zone; Babel's "d MMMM y HH.mm")."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return format_datetime(value, "d MMMM y HH.mm")
    value = _local(value)
    months = _month_names()
    return f"{value.day} {months[value.month]} {value.year} {value.hour:02d}.{value.minute:02d}"


@pass_context
def tanggal_id(context, value) -> str:
    """Always Indonesian (a letter is Indonesian whatever the reader's UI language); a stored
    (UTC) time is dated by the letter's office's clock, else by the reader's office's."""
    from babel.dates import format_date

    if not value:
        return ""
    if isinstance(value, datetime):
        office = context.get("office")
        value = utc_to_local(value, office.timezone if office else str(get_timezone())).date()
    return format_date(value, "d MMMM y", locale="id")


def hari_id(value) -> str:
    from babel.dates import format_date

    return format_date(value, "EEEE", locale="id") if value else ""


def nip(value) -> str:
    """18 digits printed as 19680304 199003 1 005."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(digits) != 18:
        return value or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def place_name(code) -> str:
    """'73.71' -> 'Makassar' (the "di …" line of a letter)."""
    name = region_name(code) or ""
    for prefix in ("Kota Administrasi ", "Kota ", "Kabupaten "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def rupiah(value) -> str:
    if value is None or value == "":
        return ""
    return format_rupiah(value)


def label(mapping_name: str, key) -> str:
    mapping = getattr(labels, mapping_name.upper())
    value = mapping.get(key)
    return str(value) if value is not None else (key or "")


def _yes_no(value) -> str:
    return str(labels.YES) if value else str(labels.NO)


def _local_type_name(value) -> str:
    from .extensions import db
    from .models import LocalCaseType

    item = db.session.get(LocalCaseType, value)
    return item.name if item else str(value)


# how a recorded change of these fields reads (region codes: the region's path; the rest: as is)
CHANGE_FORMATS = {
    "birth_date": tanggal,
    "reported_at": tanggal_jam,
    "found_at": tanggal_jam,
    "sex": lambda value: label("sexes", value),
    "channel": lambda value: label("channels", value),
    "urgency": lambda value: label("urgencies", value),
    "nik": mask_nik,
    "identity_known": _yes_no,
    "local_type_id": _local_type_name,
}


def change_value(field: str, value) -> str:
    """A value from a recorded change, as a person reads it."""
    if value is None or value == "":
        return "—"
    if field.endswith("_code") and field != "ppks_code":
        return region_path(value) or str(value)
    return CHANGE_FORMATS.get(field, str)(value)


def render(template: str, block: str | None = None, **context):
    """A full page, or only `block` when htmx asks for it (and is not restoring history)."""
    if (
        block
        and request.headers.get("HX-Request")
        and not request.headers.get("HX-History-Restore-Request")
        and not request.headers.get("HX-Boosted")  # boosted navigation wants the whole page
    ):
        return render_block(template, block, **context)
    return render_template(template, **context)


def _removed_shown(value):
    """What anonymisation removed ("[anonim]" in a stored text) is said in words wherever a
    template prints it (a timeline line, a name that was there)."""
    if isinstance(value, str) and value == audit.REMOVED:
        from .services.i18n import now as _

        return _("(dihapus saat anonimisasi)")
    return value


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        tanggal=tanggal,
        tanggal_jam=tanggal_jam,
        tanggal_id=tanggal_id,
        hari_id=hari_id,
        nip=nip,
        place_name=place_name,
        rupiah=rupiah,
        mask_nik=mask_nik,
        region_name=region_name,
        region_path=region_path,
        change_value=change_value,
    )
    from .services import letter_archive, letter_settings

    app.jinja_env.globals.update(
        label=label, labels=labels, access=access, letter_settings=letter_settings,
        letter_archive=letter_archive, audit_objects=audit.describe,
        first_choice_value=first_choice_value, page_url=page_url, id_url=id_url,
    )  # fmt: skip
    i18n.install_jinja(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.finalize = _removed_shown

    @app.context_processor
    def _context():
        return {
            "current_locale": str(get_locale() or "id"),
            "languages": app.config["LANGUAGES"],
        }
