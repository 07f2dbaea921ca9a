"""The translation catalogs: English is complete and current, WTForms speaks Indonesian.

A developer who adds or changes a UI string runs `make messages`, translates the new entries
in portal/translations/en/LC_MESSAGES/messages.po, and runs `make messages` again to compile."""

import re
from pathlib import Path

import pytest
import wtforms
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"
EN_MESSAGES = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
ID_WTFORMS = TRANSLATIONS / "id" / "LC_MESSAGES" / "wtforms.po"
# The same keywords as `pybabel extract -k _l -k lazy -k lazy_in:1c,2` in the Makefile.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy": None, "lazy_in": ((1, "c"), 2)}
# %(name)s, %d, %%, and {name} (Flask-WTF formats its file messages with str.format).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z%]|\{\w*\}")


def _read(path: Path, locale: str):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,)


def _label(message) -> str:
    return _strings(message.id)[0]


@pytest.fixture(scope="module")
def en_catalog():
    return _read(EN_MESSAGES, "en")


@pytest.fixture(scope="module")
def id_wtforms_catalog():
    return _read(ID_WTFORMS, "id")


def test_every_english_message_is_translated(en_catalog):
    assert not en_catalog.fuzzy, "the catalog header is marked fuzzy"
    untranslated = [_label(m) for m in en_catalog if m.id and not all(_strings(m.string))]
    fuzzy = [_label(m) for m in en_catalog if m.id and m.fuzzy]
    assert not untranslated, f"msgstr missing in {EN_MESSAGES.name}: {untranslated}"
    assert not fuzzy, f"fuzzy entries (review, then remove the flag): {fuzzy}"


def test_english_catalog_has_every_string_of_the_source(en_catalog):
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f, filename="babel.cfg")
    missing = set()
    for filename, _lineno, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = _strings(message)[0]
        if not msgid:
            continue
        if en_catalog.get(msgid, context=context) is None:
            missing.add(f"{msgid!r} ({filename})")
    assert not missing, (
        "New or changed UI strings are not in the English catalog. Run `make messages`, "
        "translate them in portal/translations/en/LC_MESSAGES/messages.po, then run "
        "`make messages` again:\n  " + "\n  ".join(sorted(missing))
    )


@pytest.mark.parametrize("path, locale", [(EN_MESSAGES, "en"), (ID_WTFORMS, "id")])
def test_placeholders_match(path, locale):
    catalog = _read(path, locale)
    mismatched = []
    for message in catalog:
        if not message.id:
            continue
        wanted = sorted(PLACEHOLDER.findall(_strings(message.id)[-1]))
        for string in _strings(message.string):
            if string and sorted(PLACEHOLDER.findall(string)) != wanted:
                mismatched.append(f"{_label(message)!r} -> {string!r}")
    assert not mismatched, f"placeholders differ in {path.name}: {mismatched}"


def test_indonesian_wtforms_catalog_is_complete(id_wtforms_catalog):
    catalog = id_wtforms_catalog
    assert catalog.num_plurals == 1 and catalog.plural_expr == "0"
    required = catalog.get("This field is required.")
    assert required is not None and required.string == "Wajib diisi."
    assert not [_label(m) for m in catalog if m.id and (m.fuzzy or not all(_strings(m.string)))]
    plural = [m for m in catalog if m.id and m.pluralizable]
    assert plural and all(len(m.string) == 1 for m in plural)
    template = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    if template.exists():  # a WTForms upgrade that adds messages must add them here too
        with template.open("rb") as f:
            ids = [_strings(m.id)[0] for m in read_po(f) if m.id]
        assert not [msgid for msgid in ids if catalog.get(msgid) is None]


def test_indonesian_wtforms_catalog_is_compiled():
    translations = Translations.load(str(TRANSLATIONS), ["id"], domain="wtforms")
    assert translations.ugettext("This field is required.") == "Wajib diisi.", (
        "portal/translations/id/LC_MESSAGES/wtforms.mo is missing or stale: run "
        "`pybabel compile -f -D 'messages wtforms' -d portal/translations`"
    )
    message = translations.ungettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        120,
    )
    assert message % {"max": 120} == "Panjang isian maksimal 120 karakter."


def test_english_pages_and_indonesian_form_errors(world, client, auth):
    assert auth.login("pekerja", PASSWORD).status_code == 302
    client.post("/account/language", data={"lang": "en"})
    page = client.get("/cases").get_data(as_text=True)
    assert 'lang="en"' in page
    assert ">Log out</button>" in page and ">Keluar</button>" not in page
    for heading in ("Number", "Name", "Category", "Status", "Officer", "Reported"):
        assert f'<th scope="col">{heading}</th>' in page
    assert "Dilaporkan" not in page

    long_name = {"full_name": "A" * 121}
    english = client.post("/cases/new", data=long_name)
    assert english.status_code == 422
    assert "Field cannot be longer than 120 characters." in english.get_data(as_text=True)

    client.post("/account/language", data={"lang": "id"})
    response = client.post("/cases/new", data=long_name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'lang="id"' in page
    assert "Panjang isian maksimal 120 karakter." in page
    assert "Field cannot be longer" not in page


@pytest.mark.office_clock
def test_english_months_and_words_of_reports_letters_and_the_dashboard(
    world, client, auth, factory
):
    """QA: in English the dashboard chart ("Mei 26", "Agu 26"), the report's month list, "Summary
    Juni 2026" and "In Juni 2026" kept Indonesian month names; the report's totals column said
    "Quantity", the CSV title was Indonesian, the letter register's column "Cases" and its
    cancel control "Confirm cancellation". Indonesian stays as it was."""
    letter = factory.referral(world["case"], "approved", "service").letter
    factory.aid(world["case"], quantity=3, unit="paket")
    auth.login("manajer")
    query = "period=month&year=2026&month=6"
    indonesian = client.get(f"/reports?{query}").get_data(as_text=True)
    assert "Rekap Juni 2026" in indonesian and ">Januari</option>" in indonesian
    assert "Pada Juni 2026" in indonesian
    dashboard = client.get("/").get_data(as_text=True)
    assert re.search(r"Agu \d\d", dashboard) and re.search(r"Des \d\d", dashboard)
    client.post("/account/language", data={"lang": "en"})
    page = client.get(f"/reports?{query}").get_data(as_text=True)
    assert "Summary June 2026" in page and "In June 2026" in page
    assert ">January</option>" in page and ">December</option>" in page and "Juni" not in page
    assert '<th scope="col" class="num">Total</th>' in page and "Quantity" not in page
    csv_text = client.get(f"/reports/export.csv?{query}").data.decode("utf-8-sig")
    title = csv_text.splitlines()[0].strip('"')
    assert title.startswith("Case summary, ") and title.endswith(": June 2026")
    dashboard = client.get("/").get_data(as_text=True)
    assert re.search(r"Aug \d\d", dashboard) and re.search(r"Dec \d\d", dashboard)
    assert not re.search(r"(Mei|Agu|Okt|Des) \d\d", dashboard)
    register = client.get("/letters").get_data(as_text=True)
    assert '<th scope="col">Case</th>' in register and '<th scope="col">Cases</th>' not in register
    assert f'action="/letters/{letter.id}/void"' in register
    assert "<summary>Cancel letter</summary>" in register and "Confirm cancellation" not in register
    case_page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "<th>Quantity</th>" in case_page  # the aid's goods: a quantity, not a total
