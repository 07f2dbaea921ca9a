"""Translation helpers usable outside a request (services, forms)."""

from flask import g, has_app_context
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString


def translations():
    """The catalogue of the current locale: Flask-Babel's own, found once per request and
    locale. Flask-Babel finds the request's context, its domain, its locale and the locale's
    name again for every string, and a page translates a few hundred (labels, options, table
    headings). Kept beside Flask-Babel's locale on its context, for that very locale object:
    force_locale() and refresh() replace the object, and the catalogue is found again."""
    context = g.get("_flask_babel") if has_app_context() else None
    kept = getattr(context, "simpul_catalogue", None)
    if kept is not None and kept[0] is getattr(context, "babel_locale", None):
        return kept[1]
    catalogue = get_translations()
    context = g.get("_flask_babel") if has_app_context() else None
    if context is not None:
        context.simpul_catalogue = (get_locale(), catalogue)
    return catalogue


def now(string: str, **variables) -> str:
    """gettext: what flask_babel.gettext returns, with the catalogue looked up once."""
    translated = translations().ugettext(string)
    return translated if not variables else translated % variables


def sentence(message: str) -> str:
    """A message ending in a name that ends in a full stop ("… kepada Andi, S.Sos.") ends with
    that one full stop, not two."""
    message = str(message)
    return message[:-1] if message.endswith("..") and not message.endswith("...") else message


def lazy(string: str, **variables) -> LazyString:
    """lazy_gettext: translated each time it is shown, in the reader's language."""
    return LazyString(now, string, **variables)


def lazy_in(context: str, string: str) -> LazyString:
    """lazy pgettext: one Indonesian word that needs two English ones ("Jumlah": a total, or a
    quantity of goods), told apart by its context (extracted: Makefile's -k lazy_in:1c,2)."""
    return LazyString(lambda: translations().upgettext(context, string))


_MONTHS: dict = {}  # (babel Locale, width) -> its month names, looked up once per process


def month_name(month: int, short: bool = False) -> str:
    """A month's name in the reader's language: in Indonesian labels.MONTHS (its first three
    letters when short: "Agu", as the dashboard always wrote); in another language Babel's
    ("August", "Aug")."""
    from babel.dates import get_month_names

    from .labels import MONTHS

    locale = get_locale() if has_app_context() else None
    if locale is None or locale.language == "id":
        name = MONTHS[month - 1]
        return name[:3] if short else name
    key = (locale, short)
    names = _MONTHS.get(key)
    if names is None:
        names = _MONTHS[key] = get_month_names("abbreviated" if short else "wide", "format", locale)
    return names[month]


def install_jinja(app) -> None:
    """The templates' _(), gettext and ngettext through the same catalogue lookup (Flask-Babel
    installs the same callables, each finding the catalogue again)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
