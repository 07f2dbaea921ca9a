"""Numbers from the office's own agenda (the Sekretariat's book or SRIKANDI): an office whose
setting `letter_numbering` is "agenda" draws no serial of its own. A letter it issues waits,
unrendered, until a manager types the number the agenda gave it: on the approval form, or later
from the letters page ("menunggu nomor agenda").

A typed number is accepted when it has the shape of the office's number template, read as a
pattern: {klasifikasi} must be the letter's own classification code, {tahun} the year and
{bulan_romawi}/{bulan} the month of the day it is numbered (the letter is dated that day),
{kode_kantor} the office's code, {nomor} the agenda's serial (digits, optionally with a
sub-number such as "123.1" or "123a"); the rest of the template matches as written (letter case
and spaces around "/" aside). The number must be new in the office (a unique constraint on
letter.office_id + number; the number holds its year, so also new in that year)."""

from __future__ import annotations

import re
import string
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Letter, Office, User
from . import audit
from .errors import NotPermitted, Refused
from .i18n import lazy as _l
from .letter_numbers import DEFAULT_TEMPLATE, ROMAN, format_number

FIELD = "agenda_number"
SERIAL = r"[0-9]{1,6}(?:\.[0-9]{1,3}|[a-zA-Z])?"


def normalise(number: str) -> str:
    """Spaces collapsed, none around a slash: "400.9.2 / 17 / Dinsos" -> "400.9.2/17/Dinsos"."""
    text = " ".join((number or "").split())
    return re.sub(r"\s*/\s*", "/", text)


def pattern(office: Office, classification: str, on: date) -> re.Pattern:
    values = {
        "klasifikasi": re.escape(classification),
        "nomor": SERIAL,
        "bulan_romawi": ROMAN[on.month - 1],
        "bulan": f"0?{on.month}",
        "tahun": str(on.year),
        "kode_kantor": re.escape(office.code),
    }
    parts = []
    template = normalise(office.letter_number_template or DEFAULT_TEMPLATE)
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(f"(?:{values.get(name, '.+')})")
    return re.compile("".join(parts), re.IGNORECASE)


def example(office: Office, classification: str, on: date) -> str:
    return format_number(
        office.letter_number_template or DEFAULT_TEMPLATE,
        classification=classification,
        serial=123,
        issued_on=on,
        office_code=office.code,
    )


def check(office: Office, letter: Letter, number: str, on: date) -> str:
    """The number as it will be stored, or a refusal saying what is wrong with it."""
    number = normalise(number)
    if not number:
        raise Refused(str(_l("Ketik nomor yang diberikan agenda kantor.")), field=FIELD)
    if len(number) > 80:
        raise Refused(str(_l("Nomor surat paling panjang 80 karakter.")), field=FIELD)
    shown = example(office, letter.classification, on)
    if str(on.year) not in number:
        raise Refused(
            str(_l("Nomor harus memuat tahun surat (%(year)s), contoh: %(example)s.",
                   year=on.year, example=shown)),
            field=FIELD,
        )  # fmt: skip
    if letter.classification not in number:
        raise Refused(
            str(_l("Nomor harus memuat kode klasifikasi %(code)s, contoh: %(example)s.",
                   code=letter.classification, example=shown)),
            field=FIELD,
        )  # fmt: skip
    if not pattern(office, letter.classification, on).fullmatch(number):
        raise Refused(
            str(_l("Nomor tidak sesuai templat nomor kantor, contoh: %(example)s.",
                   example=shown)),
            field=FIELD,
        )  # fmt: skip
    if _taken(office.id, number, letter.id):
        raise Refused(
            str(_l("Nomor %(number)s sudah dipakai surat lain kantor ini.", number=number)),
            field=FIELD,
        )
    return number


def _taken(office_id: int, number: str, letter_id: int) -> bool:
    query = select(Letter.id).where(
        Letter.office_id == office_id,
        Letter.number.ilike(number.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")),
        Letter.id != letter_id,
    )
    return db.session.scalar(query) is not None


def assign(letter: Letter, user: User, number: str, *, today: date, ip: str = "") -> None:
    """Give a waiting letter the agenda's number, dated `today` (the office's date); rendered and
    archived once the transaction commits."""
    from . import access

    if letter.number is not None:
        raise Refused(str(_l("Surat ini sudah bernomor %(number)s.", number=letter.number)))
    if not access.can_number_letter(user, letter):
        raise NotPermitted(str(_l("Hanya manajer kantor ini yang mengisi nomor agenda.")))
    if letter.status != "valid":
        raise Refused(str(_l("Surat ini sudah batal.")))
    office = db.session.get(Office, letter.office_id)
    letter.number = check(office, letter, number, today)
    letter.issued_on, letter.year = today, today.year
    try:
        with db.session.begin_nested():  # two managers typing the same number at once
            db.session.flush()
    except IntegrityError:
        raise Refused(
            str(_l("Nomor %(number)s sudah dipakai surat lain kantor ini.", number=number)),
            field=FIELD,
        ) from None
    audit.record(
        "letter.number",
        user=user,
        ip=ip,
        object_type="letter",
        object_id=letter.id,
        case_id=letter.case_id,
        details={"number": letter.number, "source": "agenda"},
    )
    from . import letter_archive

    letter_archive.schedule(letter.id)


def refuse_unnumbered(letter: Letter) -> None:
    """No print of a letter before it has its number."""
    if letter.number is None:
        raise Refused(
            str(
                _l(
                    "Surat ini menunggu nomor dari agenda kantor: manajer mengisi nomornya di "
                    "halaman Agenda surat, baru surat dapat dicetak."
                )
            )
        )


def waiting(user: User, limit: int = 50) -> list[Letter]:
    """Letters of the user's office waiting for their agenda number, oldest first (a manager's)."""
    from . import access

    if user.role != "manager":
        return []
    query = (
        select(Letter)
        .where(
            Letter.office_id == user.office_id,
            Letter.number.is_(None),
            Letter.status == "valid",
        )
        .order_by(Letter.id)
        .limit(limit)
    )
    return list(db.session.scalars(access.visible_letters(user, query)))
