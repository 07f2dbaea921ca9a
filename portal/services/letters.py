"""The office's letter register (agenda surat): numbers from the office's template, serials that are
unique and gapless per office and year, and the signatory as they stood on the day of issue."""

from __future__ import annotations

import string
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, Letter, Office, Person, Referral, User
from . import counters, labels
from .i18n import lazy as _l

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
PLACEHOLDERS = {"klasifikasi", "nomor", "bulan_romawi", "bulan", "tahun", "kode_kantor"}
DEFAULT_TEMPLATE = "{klasifikasi}/{nomor}/Dinsos/{bulan_romawi}/{tahun}"
DEFAULT_CLASSIFICATIONS = {  # Permendagri 83/2022: 400.9 social affairs; editable per office
    "rujukan_rsj": "400.9.3",
    "pengantar_pemulangan": "400.9.3",
    "rujukan_panti": "400.9.3",
    "rujukan_layanan": "400.9.3",
}
KIND_LABELS = labels.LETTER_KINDS
SUBJECTS = {
    "rujukan_rsj": "Rekomendasi Rujukan Pasien ke Rumah Sakit Jiwa",
    "pengantar_pemulangan": "Pengantar Pemulangan Orang Terlantar",
    "rujukan_panti": "Rujukan Penempatan Penerima Manfaat",
    "rujukan_layanan": "Rujukan Layanan",
}
SIGNING_MODES = {"head": "", "an": "a.n.", "plt": "Plt.", "plh": "Plh."}


def template_errors(template: str) -> list[str]:
    """What is wrong with a number template ([] when it is usable)."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return [str(_l("Kurung kurawal tidak berpasangan."))]
    errors = []
    unknown = names - PLACEHOLDERS
    if unknown:
        errors.append(
            str(
                _l(
                    "Tidak dikenal: %(names)s.",
                    names=", ".join("{" + n + "}" for n in sorted(unknown)),
                )
            )
        )
    if not {"nomor", "tahun"} <= names:
        errors.append(str(_l("Templat harus memuat {nomor} dan {tahun}.")))
    return errors


def format_number(
    template: str, *, classification: str, serial: int, issued_on: date, office_code: str
) -> str:
    return template.format_map(
        {
            "klasifikasi": classification,
            "nomor": serial,
            "bulan_romawi": ROMAN[issued_on.month - 1],
            "bulan": f"{issued_on.month:02d}",
            "tahun": issued_on.year,
            "kode_kantor": office_code,
        }
    )


def classification_for(office: Office, kind: str) -> str:
    return (office.letter_classifications or {}).get(kind) or DEFAULT_CLASSIFICATIONS[kind]


def signatory(office: Office) -> dict:
    """Who signs today, per the office's settings: the head, or a.n./Plt./Plh."""
    mode = office.signing_mode if office.signing_mode in SIGNING_MODES else "head"
    head_title = office.head_title or f"Kepala {office.name}"
    if mode == "head" or not office.signer_name:
        return {
            "signatory_prefix": "",
            "signatory_position": head_title,
            "signatory_name": office.head_name,
            "signatory_rank": office.head_rank,
            "signatory_nip": office.head_nip,
        }
    prefix = SIGNING_MODES[mode]
    position = f"{prefix} {head_title}"
    if mode == "an" and office.signer_position:
        position += f"\n{office.signer_position}"
    return {
        "signatory_prefix": prefix,
        "signatory_position": position,
        "signatory_name": office.signer_name,
        "signatory_rank": office.signer_rank,
        "signatory_nip": office.signer_nip,
    }


def recipient_for(referral: Referral) -> str:
    org = referral.receiver_label
    if referral.kind == "rsj":
        return f"Direktur {org}" if org else "Direktur Rumah Sakit Jiwa"
    if referral.kind in ("return_home", "placement"):
        return f"Kepala {org}" if org else ""
    return f"Pimpinan {org}" if org else ""


def issue(office: Office, user: User, kind: str, *, issued_on: date, case: Case | None = None,
          referral: Referral | None = None, subject: str = "", recipient: str = "") -> Letter:  # fmt: skip
    """Take the next serial of the office's register for this year and record the letter.
    Runs inside the caller's transaction: if that rolls back, so does the serial."""
    serial = counters.next_value(office.id, "letter", issued_on.year)
    classification = classification_for(office, kind)
    letter = Letter(
        office_id=office.id,
        case_id=case.id if case else None,
        referral_id=referral.id if referral else None,
        kind=kind,
        year=issued_on.year,
        serial=serial,
        classification=classification,
        number=format_number(
            office.letter_number_template or DEFAULT_TEMPLATE,
            classification=classification,
            serial=serial,
            issued_on=issued_on,
            office_code=office.code,
        ),
        issued_on=issued_on,
        subject=subject or SUBJECTS.get(kind, ""),
        recipient=recipient,
        created_by_id=user.id,
        **signatory(office),
    )
    db.session.add(letter)
    db.session.flush()
    return letter


def register_query(user: User, *, q: str = "", kind: str = "", date_from=None, date_to=None):
    """Letters this user may see: a manager the office's, a worker those of their cases."""
    from . import access

    query = (
        select(Letter)
        .where(Letter.office_id == user.office_id)
        .options(joinedload(Letter.case).joinedload(Case.person))
        .order_by(Letter.issued_on.desc(), Letter.serial.desc())
    )
    if user.role == "worker":
        visible = access.visible_cases(user).with_only_columns(Case.id)
        query = query.where(Letter.case_id.in_(visible))
    elif user.role != "manager":
        query = query.where(False)
    if kind:
        query = query.where(Letter.kind == kind)
    if date_from:
        query = query.where(Letter.issued_on >= date_from)
    if date_to:
        query = query.where(Letter.issued_on <= date_to)
    text = (q or "").strip()
    if text:
        like = f"%{text}%"
        query = (
            query.outerjoin(Case, Letter.case_id == Case.id)
            .outerjoin(Person, Case.person_id == Person.id)
            .where(
                Letter.number.ilike(like) | Case.number.ilike(like) | Person.full_name.ilike(like)
            )
        )
    return query
