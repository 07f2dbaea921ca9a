"""Guardians and the legal basis of processing (UU PDP No. 27/2022).

A child (under 18, or a case in one of the children's PPKS categories) or a person who may not
be able to decide alone (an ODGJ or a person with a disability: PPKS 09, where the local type
"ODGJ terlantar" belongs, and 05) has a guardian or companion recorded on the person: wali or
pendamping, with relation, NIK and phone (several allowed). Each case records the basis on
which the office processes its data (Pasal 20 ayat (2)): consent (by the person himself or by a
guardian; when; for what purpose; a child's consent is his guardian's, Pasal 25), or when nobody
can consent vital interest, legal duty or public task, with a note.

A referral shares the client's data with another institution (referral_kinds: `shares_data`):
it cannot be submitted before the case's basis is recorded (services.referrals.submit).

Who records them: whoever may edit the case (access.can_edit_case; a guardian is loaded through
access.guardian_for). Every change writes a timeline entry and an audit entry (field names, not the values: the
guardian's NIK and phone stay out of the log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import Case, CaseEvent, Person, PersonGuardian, ProcessingBasis, User
from ..models._base import utcnow
from ..models.consent import BASES, CONSENT_BY, GUARDIAN_RELATIONS, GUARDIAN_ROLES
from . import access, audit, referral_kinds
from .errors import BasisMissing, Refused, StaleVersion
from .i18n import lazy as _l
from .i18n import sentence
from .identity import check_nik, normalize_phone
from .names import name_key
from .timeutil import office_today

ADULT_AGE = 18
CHILD_PPKS = ("01", "02", "03", "04", "05", "06", "07")  # the children's PPKS categories
# may not decide alone: 09 Penyandang Disabilitas (mental disability: "ODGJ terlantar" maps
# here), 05 Anak dengan Kedisabilitasan (a child anyway)
CANNOT_DECIDE_PPKS = ("05", "09")
GUARDIAN_FIELDS = ("role", "relation", "name", "nik", "phone", "note")
BASIS_FIELDS = ("basis", "consent_by", "guardian_id", "consent_given_on", "purpose", "note")
BASIS_LABEL = _l("Dasar pemrosesan data (persetujuan, atau kepentingan vital/kewajiban hukum)")

# The rows this module keeps about a person, for the data-subject export and the anonymisation
# (issue 14 part D): (model, the column naming the person or his case, personal-data columns).
PERSONAL_DATA = (
    (PersonGuardian, "person_id", ("name", "nik", "phone", "note")),
    (ProcessingBasis, "case_id", ("purpose", "note")),
)


# --- who needs a guardian -----------------------------------------------------------------------


def age_of(person: Person, today: date) -> int | None:
    """Years of age today: from the birth date, else from the (estimated) birth year."""
    if person.birth_date:
        born = person.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if person.birth_year:
        return today.year - person.birth_year
    return person.estimated_age


def guardian_reason(person: Person, today: date) -> str | None:
    """ "child" or "cannot_decide" when the person needs a guardian or companion, else None."""
    codes = {case.ppks_code for case in person.cases}
    age = age_of(person, today)
    if (age is not None and age < ADULT_AGE) or (age is None and codes & set(CHILD_PPKS)):
        return "child"
    if codes & set(CANNOT_DECIDE_PPKS):
        return "cannot_decide"
    return None


def guardians(person: Person) -> list[PersonGuardian]:
    return list(
        db.session.scalars(
            select(PersonGuardian)
            .where(PersonGuardian.person_id == person.id)
            .order_by(PersonGuardian.id)
        )
    )


def basis_of(case: Case) -> ProcessingBasis | None:
    return db.session.scalar(
        select(ProcessingBasis)
        .where(ProcessingBasis.case_id == case.id)
        .options(joinedload(ProcessingBasis.recorded_by), joinedload(ProcessingBasis.guardian))
    )


@dataclass
class ConsentCard:
    """What the case file's "Dasar pemrosesan data" card shows."""

    basis: ProcessingBasis | None
    guardians: list[PersonGuardian]
    reason: str | None  # guardian_reason
    can_edit: bool

    @property
    def nudge(self) -> bool:
        """A child or ODGJ with no guardian or companion recorded."""
        return self.reason is not None and not self.guardians


def card(user: User, case: Case, recorded: bool = True) -> ConsentCard:
    """`recorded`: the timeline has a "basis_recorded" entry (written with the basis, in the
    same transaction): a case without one needs no query for it."""
    person = case.person
    return ConsentCard(
        basis=basis_of(case) if recorded else None,
        guardians=list(person.guardians),  # loaded with the case (cases.load_case)
        reason=guardian_reason(person, office_today(user.office)),
        can_edit=access.can_edit_case(user, case),
    )


@dataclass
class PersonGuardians:
    """The person page's guardians, editable through `edit_case` (one the user may edit)."""

    guardians: list[PersonGuardian]
    reason: str | None
    edit_case: Case | None


def person_guardians(user: User, person: Person) -> PersonGuardians:
    editable = (case for case in person.cases if access.can_edit_case(user, case))
    return PersonGuardians(
        guardians(person), guardian_reason(person, office_today(user.office)), next(editable, None)
    )


# --- guardians ----------------------------------------------------------------------------------


def _recorded_twice(person: Person, values: dict, nik: str | None, guardian_id) -> dict:
    """The same guardian already recorded for this person (another row than `guardian_id`):
    the same NIK, or the same name (spelt alike: services.names) in the same relation."""
    key = name_key(values.get("name") or "")
    for other in person.guardians:
        if other.id == guardian_id:
            continue
        if nik and other.nik == nik:
            return {"nik": sentence(_l("NIK ini sudah tercatat untuk %(name)s.", name=other.name))}
        if key and other.relation == values.get("relation") and name_key(other.name) == key:
            return {"name": str(_l(
                "%(name)s sudah tercatat dengan hubungan yang sama; ubah data itu saja.",
                name=other.name,
            ))}  # fmt: skip
    return {}


def guardian_problems(
    person: Person, values: dict, today: date, guardian_id: int | None = None
) -> dict[str, str]:
    """field -> message for what cannot be stored (the form shows them all; the service refuses
    the first). The NIK is checked as every NIK is (services.identity); the same guardian is
    not recorded twice (`guardian_id`: the one being edited)."""
    problems = {}
    if values.get("role") not in GUARDIAN_ROLES:
        problems["role"] = str(_l("Pilih wali atau pendamping."))
    if values.get("relation") not in GUARDIAN_RELATIONS:
        problems["relation"] = str(_l("Pilih hubungan dari daftar."))
    if not (values.get("name") or "").strip():
        problems["name"] = str(_l("Nama wali/pendamping wajib diisi."))
    if nik := (values.get("nik") or "").strip():
        result = check_nik(nik, today=today)
        if result.errors:
            problems["nik"] = " ".join(result.errors)
        elif person.nik and result.nik == person.nik:
            problems["nik"] = str(_l("Ini NIK orang yang didampingi, bukan NIK walinya."))
    if (phone := (values.get("phone") or "").strip()) and not normalize_phone(phone):
        problems["phone"] = str(_l("Nomor telepon tidak dikenali (contoh: 0812-3456-7890)."))
    valid_nik = check_nik(nik, today=today).nik if nik and "nik" not in problems else None
    twice = _recorded_twice(person, values, valid_nik, guardian_id)
    return problems | {f: m for f, m in twice.items() if f not in problems}


def _clean_guardian(person: Person, values: dict, today: date, guardian_id=None) -> dict:
    _one_save_at_a_time(person)
    problems = guardian_problems(person, values, today, guardian_id)
    if problems:
        field, message = next(iter(problems.items()))
        raise Refused(message, field=field)
    nik = (values.get("nik") or "").strip()
    return {
        "role": values["role"],
        "relation": values["relation"],
        "name": values["name"].strip(),
        "nik": check_nik(nik, today=today).nik if nik else None,
        "phone": normalize_phone(values.get("phone")),
        "note": (values.get("note") or "").strip(),
    }


def _one_save_at_a_time(person: Person) -> None:
    """Saves of one person's guardians wait for each other: his row is locked (PostgreSQL; on
    SQLite a writing request holds the write lock from its start) and his guardians read again,
    so two saves of the same guardian at once cannot both pass the duplicate check. (A unique
    index would refuse a merge of two records of one person that both name the same guardian.)"""
    db.session.execute(select(Person.id).where(Person.id == person.id).with_for_update())
    db.session.expire(person, ["guardians"])


def _guard(user: User, case: Case) -> None:
    if not access.can_edit_case(user, case):
        raise Refused(str(_l("Anda tidak dapat mengubah data kasus ini.")))


def _log(case: Case, user: User, kind: str, action: str, record, ip: str, **data) -> None:
    db.session.add(CaseEvent(case_id=case.id, kind=kind, actor_id=user.id, data=data))
    audit.record(
        action,
        user=user,
        ip=ip,
        object_type=record.__tablename__,
        object_id=record.id,
        case_id=case.id,
        details={"person_id": case.person_id, "version": record.version_id, **data},
    )


def add_guardian(case: Case, user: User, values: dict, ip: str = "") -> PersonGuardian:
    """A guardian or companion of the case's person, recorded through this case."""
    _guard(user, case)
    clean = _clean_guardian(case.person, values, office_today(user.office))
    guardian = PersonGuardian(
        office_id=case.office_id, person=case.person, created_by_id=user.id, **clean
    )
    db.session.add(guardian)
    db.session.flush()
    _log(case, user, "guardian_added", "guardian.add", guardian, ip, **_summary(guardian))
    return guardian


def update_guardian(
    case: Case, guardian: PersonGuardian, user: User, values: dict, version: int, ip: str = ""
) -> list[str]:
    """Save a guardian if nobody saved since `version`; the names of the fields changed."""
    _guard(user, case)
    clean = _clean_guardian(case.person, values, office_today(user.office), guardian.id)
    _check_version(guardian, version)
    changed = [name for name in GUARDIAN_FIELDS if getattr(guardian, name) != clean[name]]
    if not changed:
        return []
    for name in changed:
        setattr(guardian, name, clean[name])
    guardian.updated_at = utcnow()
    _flush()
    _log(
        case, user, "guardian_edited", "guardian.update", guardian, ip,
        **_summary(guardian), fields=changed,
    )  # fmt: skip
    return changed


def _summary(guardian: PersonGuardian) -> dict:
    return {"guardian_id": guardian.id, "role": guardian.role, "relation": guardian.relation}


def _check_version(record, version: int) -> None:
    if version != record.version_id:
        raise StaleVersion(str(_l("Data sudah diubah orang lain.")))


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleVersion(str(_l("Data sudah diubah orang lain."))) from None


# --- the basis of processing --------------------------------------------------------------------


def _basis_values(case: Case, values: dict, today: date) -> dict:
    """The basis as stored, or a refusal naming the field (UU PDP Pasal 20, 25)."""
    basis = values.get("basis")
    if basis not in BASES:
        raise Refused(str(_l("Pilih dasar pemrosesan data.")), field="basis")
    if basis != "consent":
        note = (values.get("note") or "").strip()
        if not note:
            message = _l("Tulis mengapa tidak ada yang dapat memberi persetujuan.")
            raise Refused(str(message), field="note")
        return dict.fromkeys(BASIS_FIELDS) | {"basis": basis, "purpose": "", "note": note}
    return {"basis": basis, **_consent_values(case, values, today)}


def _consent_values(case: Case, values: dict, today: date) -> dict:
    by, given_on = values.get("consent_by"), values.get("consent_given_on")
    guardian_id = values.get("guardian_id") if by == "guardian" else None
    purpose = (values.get("purpose") or "").strip()
    if by not in CONSENT_BY:
        raise Refused(str(_l("Pilih siapa yang memberi persetujuan.")), field="consent_by")
    if by == "self" and guardian_reason(case.person, today) == "child":
        message = _l("Persetujuan untuk anak diberikan oleh orang tua atau wali (UU PDP Pasal 25).")
        raise Refused(str(message), field="consent_by")
    ids = {g.id for g in guardians(case.person)}
    if by == "guardian" and guardian_id not in ids:
        message = _l("Pilih wali/pendamping yang memberi persetujuan (catat dulu walinya).")
        raise Refused(str(message), field="guardian_id")
    if given_on is None or given_on > today:
        message = _l("Isi tanggal persetujuan (tidak boleh di masa depan).")
        raise Refused(str(message), field="consent_given_on")
    if not purpose:
        raise Refused(str(_l("Tulis untuk apa persetujuan diberikan.")), field="purpose")
    return {
        "consent_by": by,
        "guardian_id": guardian_id,
        "consent_given_on": given_on,
        "purpose": purpose,
        "note": (values.get("note") or "").strip(),
    }


def record_basis(
    case: Case, user: User, values: dict, version: int | None = None, ip: str = ""
) -> ProcessingBasis:
    """Record the case's basis, or change it if nobody saved since `version`."""
    _guard(user, case)
    clean = _basis_values(case, values, office_today(user.office))
    basis = basis_of(case)
    if basis is None:
        basis = ProcessingBasis(office_id=case.office_id, case_id=case.id, recorded_by_id=user.id)
        db.session.add(basis)
        kind, action, changed = "basis_recorded", "basis.record", list(BASIS_FIELDS)
    else:
        _check_version(basis, version if version is not None else -1)
        kind, action = "basis_changed", "basis.update"
        changed = [name for name in BASIS_FIELDS if getattr(basis, name) != clean[name]]
        if not changed:
            return basis
    for name in BASIS_FIELDS:
        setattr(basis, name, clean[name])
    basis.recorded_by_id, basis.updated_at = user.id, utcnow()
    _flush()
    data = {"basis": basis.basis, "consent_by": basis.consent_by, "fields": changed}
    _log(case, user, kind, action, basis, ip, **data)
    return basis


# --- before data leaves the office --------------------------------------------------------------


def basis_problems(referral) -> list[tuple[str, str]]:
    """[("processing_basis", label)] when the referral shares data and its case has no basis."""
    kind = referral_kinds.KINDS.get(referral.kind)
    if kind is None or not kind.shares_data or basis_of(referral.case) is not None:
        return []
    return [("processing_basis", str(BASIS_LABEL))]


def require_basis(referral) -> None:
    """Refuse (BasisMissing) to let the referral's data leave the office without a basis."""
    if basis_problems(referral):
        message = _l(
            "Rujukan ini membagikan data klien kepada instansi lain: catat dulu dasar pemrosesan "
            "data pada kasus (persetujuan, atau kepentingan vital/kewajiban hukum bila tidak "
            "ada yang dapat memberi persetujuan)."
        )
        raise BasisMissing(str(message), case_id=referral.case_id)
