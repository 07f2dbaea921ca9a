"""The office's letter settings that shape every issued letter: the archive classification code
(by the letter's subject, i.e. the client's PPKS category, and its kind), the "Sifat" per kind,
the page margins and the body font size (within Tata Naskah Dinas limits), and where numbers
come from (Simpul's own register, or the office's central agenda).

Classification (Permendagri 83/2022, 400.9 Sosial): the code follows the subject, not the kind.
The 26 PPKS categories fall into GROUPS, each with its default code; an office may override a
code per group x letter kind (`Office.letter_classifications`: {group: {kind: code}}). A letter
without a category (none today) falls back to the kind's own default."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Office
from . import referral_kinds
from .i18n import lazy as _l


@dataclass(frozen=True)
class Group:
    code: str  # key in Office.letter_classifications
    label: object
    ppks: tuple[str, ...]  # PPKS codes (Permensos 08/2012)
    classification: str  # the default archive code


GROUPS = (
    Group("anak", _l("Anak (PPKS 01–07)"), ("01", "02", "03", "04", "05", "06", "07"), "400.9.2"),
    Group("rehsos", _l("Disabilitas, ODGJ, ODHA (09, 16)"), ("09", "16"), "400.9.3"),
    Group(
        "tuna_sosial",
        _l("Tuna sosial, gepeng (10–13, 15)"),
        ("10", "11", "12", "13", "15"),
        "400.9.4",
    ),  # fmt: skip
    Group("napza", _l("Korban NAPZA (17)"), ("17",), "400.9.5"),
    Group("lansia", _l("Lanjut usia (08)"), ("08",), "400.9.6"),
    Group(
        "perlindungan",
        _l("Korban kekerasan, trafficking, pekerja migran (18–20)"),
        ("18", "19", "20"),
        "400.9.8",
    ),  # fmt: skip
    Group("bencana_sosial", _l("Korban bencana sosial (22)"), ("22",), "400.9.9"),
    Group("bencana_alam", _l("Korban bencana alam (21)"), ("21",), "400.9.10"),
    Group(
        "kemiskinan",
        _l("Fakir miskin, PRSE, KAT, minoritas, keluarga (14, 23–26)"),
        ("14", "23", "24", "25", "26"),
        "400.9.14",
    ),  # fmt: skip
)
GROUP_OF_PPKS = {ppks: group for group in GROUPS for ppks in group.ppks}
GROUP_CODES = tuple(group.code for group in GROUPS)

# The letters an office issues with a number, in the admin table's column order.
KINDS = (*referral_kinds.LETTERS, "surat_jalan", "berita_acara")
KIND_DEFAULTS = {  # when a letter has no category
    "surat_jalan": "400.9.3",
    "berita_acara": "400.9.3",
    **{kind.letter: kind.default_classification for kind in referral_kinds.KINDS.values()},
}
CODE_PATTERN = r"^[0-9]{3}(\.[0-9]{1,3}){0,4}$"  # 400, 400.9, 400.9.3, 400.9.3.1


def default_classification(kind: str, ppks_code: str | None) -> str:
    group = GROUP_OF_PPKS.get(ppks_code or "")
    return group.classification if group else KIND_DEFAULTS.get(kind, "400.9")


def classification_for(office: Office, kind: str, ppks_code: str | None = None) -> str:
    """The code of a letter of this kind about a client of this PPKS category."""
    group = GROUP_OF_PPKS.get(ppks_code or "")
    table = office.letter_classifications or {}
    override = (table.get(group.code) or {}).get(kind) if group else None
    return override or default_classification(kind, ppks_code)


def field_name(group: str, kind: str) -> str:
    """The admin form's field of one cell of the table."""
    return f"cls__{group}__{kind}"


def table_from(values: dict) -> dict:
    """The overrides typed in the admin table ({group: {kind: code}}); blank cells are defaults,
    and so is a cell that repeats its default."""
    table = {}
    for group in GROUPS:
        row = {
            kind: values[field_name(group.code, kind)]
            for kind in KINDS
            if values.get(field_name(group.code, kind))
            and values[field_name(group.code, kind)] != group.classification
        }
        if row:
            table[group.code] = row
    return table


# --- Sifat --------------------------------------------------------------------------------------

SIFAT = ("Biasa", "Penting", "Segera", "Terbatas", "Rahasia")
DEFAULT_SIFAT = {"rujukan_rsj": "Rahasia"}  # health data (UU PDP: specific personal data)
SIFAT_KINDS = referral_kinds.LETTERS  # the letters with a Nomor/Sifat/Lampiran/Hal block


def sifat_for(office: Office, kind: str) -> str:
    value = (office.letter_sifat or {}).get(kind)
    return value if value in SIFAT else DEFAULT_SIFAT.get(kind, "Biasa")


def sifat_from(values: dict) -> dict:
    return {
        kind: values[f"sifat__{kind}"]
        for kind in SIFAT_KINDS
        if values.get(f"sifat__{kind}") in SIFAT
        and values[f"sifat__{kind}"] != DEFAULT_SIFAT.get(kind, "Biasa")
    }


# --- the page: margins (mm) and body font size (pt) ---------------------------------------------

# Tata Naskah Dinas (Permendagri 1/2023, after 54/2009): left at least 3 cm, right 2 cm, bottom
# 2.5 cm, top 2 cm without kop; "fleksibel, disesuaikan dengan banyak atau tidaknya isi". The
# defaults keep the portal's tested layout; the limits keep a letter readable and punchable.
MARGINS = {  # name: (label, default, min, max) in mm
    "top": (_l("atas"), 15, 15, 30),  # the page number "- 2 -" sits in it
    "right": (_l("kanan"), 20, 15, 30),
    "bottom": (_l("bawah"), 15, 15, 30),
    "left": (_l("kiri"), 25, 20, 40),
}
FONT_SIZES = (10.0, 10.5, 11.0, 11.5, 12.0)  # Arial / Liberation Sans, 11-12 pt recommended
DEFAULT_FONT_SIZE = 11.0


def margins_of(office: Office) -> dict:
    """{top, right, bottom, left} in mm, each within its limits."""
    result = {}
    for side, (_label, default, low, high) in MARGINS.items():
        value = getattr(office, f"letter_margin_{side}", None) or default
        result[side] = min(max(value, low), high)
    return result


def font_size_of(office: Office) -> float:
    value = office.letter_font_size or DEFAULT_FONT_SIZE
    return value if value in FONT_SIZES else DEFAULT_FONT_SIZE


def page_context(office: Office) -> dict:
    margins = margins_of(office)
    return {
        "page_margin": " ".join(f"{margins[s]}mm" for s in ("top", "right", "bottom", "left")),
        "font_size": f"{font_size_of(office):g}pt",
    }


# --- numbering ----------------------------------------------------------------------------------

NUMBERING = {
    "simpul": _l("Dari register Simpul (nomor urut otomatis)"),
    "agenda": _l("Dari agenda kantor (Sekretariat/SRIKANDI): manajer mengetik nomornya"),
}


def numbers_from_agenda(office: Office) -> bool:
    return office.letter_numbering == "agenda"


def approval_letters(referral_kind: str) -> tuple[str, ...]:
    """The letter kinds an approval of this referral kind issues (each needs a number)."""
    kind = referral_kinds.KINDS[referral_kind]
    return (kind.letter, *kind.person_letters)


def number_example(office: Office, referral, kind: str) -> str:
    """A number of the office template's shape for this referral's letter, dated today."""
    from .letter_agenda import example
    from .timeutil import office_today

    code = classification_for(office, kind, referral.case.ppks_code if referral.case else None)
    return example(office, code, office_today(office))


def example_for_letter(letter) -> str:
    """A number of the office template's shape for a waiting letter, dated today."""
    from ..extensions import db
    from .letter_agenda import example
    from .timeutil import office_today

    office = db.session.get(Office, letter.office_id)
    return example(office, letter.classification, office_today(office))
