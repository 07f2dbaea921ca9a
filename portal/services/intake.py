"""Registering a person and a case, and finding who may already be registered."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Attachment, Case, CaseEvent, Office, Person, PersonKkHistory, User
from ..models._base import utcnow
from . import audit, counters, search
from .duplicates import Candidate as Candidate  # re-exported: merge, views
from .duplicates import find_duplicates as find_duplicates
from .errors import Refused
from .i18n import lazy as _l
from .images import read_photo
from .names import name_key
from .timeutil import utc_to_local

PERSON_FIELDS = (
    "identity_known",
    "full_name",
    "nik",
    "kk_number",
    "sex",
    "birth_date",
    "estimated_age",
    "birth_place",
    "phone",
    "street",
    "province_code",
    "regency_code",
    "district_code",
    "village_code",
    "origin_regency_code",
    "physical_description",
    "found_place",
    "found_at",
)
CASE_FIELDS = (
    "ppks_code",
    "local_type_id",
    "channel",
    "reporter_name",
    "reporter_phone",
    "reported_at",
    "place",
    "district_code",
    "summary",
    "urgency",
    "disaster_type",
    "event_date",
    "event_place",
    "household_kk",
    "household_people",
)


class NikTaken(Refused):
    """The NIK belongs to someone else registered at this office (`person`)."""

    def __init__(self, person: Person):
        super().__init__(str(_l("NIK ini sudah terdaftar untuk orang lain.")), field="nik")
        self.person = person


def attach_photo(person: Person, user: User, data: bytes, mimetype: str, filename: str) -> None:
    photo = Attachment(
        office_id=person.office_id,
        person_id=person.id,
        kind="photo",
        filename=(filename or "foto")[:200],
        mimetype=mimetype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=user.id,
    )
    db.session.add(photo)
    db.session.flush()
    person.photo_id = photo.id


def birth_year_of(birth_date: date | None, estimated_age: int | None, today: date) -> int | None:
    if birth_date:
        return birth_date.year
    if estimated_age is not None:
        return today.year - estimated_age
    return None


def apply_person_fields(person: Person, values: dict, today: date) -> None:
    for name in PERSON_FIELDS:
        if name in values:
            setattr(person, name, values[name])
    person.name_key = name_key(person.full_name)
    person.birth_year = birth_year_of(person.birth_date, person.estimated_age, today)


def record_nik_confirmation(case: Case, user: User, values: dict | None) -> dict | None:
    """A NIK kept although it disagrees with the form: the warnings and the worker's reason go
    on the case's timeline; the answer goes into the audit entry's details."""
    confirmation = (values or {}).get("nik_confirmation")
    if not confirmation:
        return None
    db.session.add(
        CaseEvent(
            case_id=case.id,
            kind="nik_confirmed",
            actor_id=user.id,
            body=confirmation["reason"],
            data={"warnings": confirmation["warnings"], "nik": (values or {}).get("nik")},
        )
    )
    return confirmation


def new_case_number(office: Office, year: int) -> tuple[str, int]:
    seq = counters.next_value(office.id, "case", year)
    return f"KS-{year}-{seq:06d}", seq


def disaster_mismatch(ppks_code: str | None, disaster_type: str | None) -> str | None:
    """Why this disaster type does not fit the category (None when it does): a flood is not a
    "korban bencana sosial", a social conflict not a "korban bencana alam"."""
    from ..models.cases import DISASTER_REFUSED

    if disaster_type not in DISASTER_REFUSED.get(ppks_code or "", ()):
        return None
    if ppks_code == "22":
        return str(_l("Bencana alam dicatat sebagai korban bencana alam (PPKS 21), bukan sosial."))
    return str(_l("Bencana sosial dicatat sebagai korban bencana sosial (PPKS 22), bukan alam."))


def check_disaster(values: dict) -> None:
    """Refuse a disaster type that contradicts the category (services.cases too)."""
    problem = disaster_mismatch(values.get("ppks_code"), values.get("disaster_type"))
    if problem:
        raise Refused(problem, field="disaster_type")


def register(
    office: Office,
    user: User,
    person_values: dict | None,
    case_values: dict,
    *,
    person: Person | None = None,
    photo: tuple[bytes, str, str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Create the case (and the person, unless an existing one is given). Caller commits."""
    now = now or utcnow()
    today = utc_to_local(now, office.timezone).date()  # the office's date: its case-number year
    if person is None:
        person = Person(office_id=office.id, created_by_id=user.id)
        apply_person_fields(person, person_values or {}, today)
        db.session.add(person)
        db.session.flush()
        if person.kk_number:
            db.session.add(
                PersonKkHistory(
                    person_id=person.id, kk_number=person.kk_number, recorded_by_id=user.id
                )
            )
    if photo:
        attach_photo(person, user, *photo)
    check_disaster(case_values)
    number, _seq = new_case_number(office, today.year)
    case = Case(office_id=office.id, number=number, year=today.year, person=person)
    for name in CASE_FIELDS:
        if name in case_values:
            setattr(case, name, case_values[name])
    if not case.district_code:
        case.district_code = person.district_code
    case.created_by_id = user.id
    case.created_at = case.updated_at = now
    if user.role == "worker":
        case.assigned_to_id = user.id
        case.status = "in_progress"
    else:
        case.status = "new"
    db.session.add(case)
    db.session.flush()
    db.session.add(CaseEvent(case_id=case.id, kind="registered", actor_id=user.id, created_at=now))
    if person_values is not None and person.first_case_number is None:
        person.first_case_number = case.number  # an unknown person's label (Person.display_name)
    search.index_case(case)
    return case


def person_with_nik(
    office_id: int, nik: str, exclude_person_id: int | None = None
) -> Person | None:
    query = select(Person).where(Person.office_id == office_id, Person.nik == nik)
    if exclude_person_id:
        query = query.where(Person.id != exclude_person_id)
    return db.session.scalars(query).first()


def ensure_nik_free(office_id: int, nik: str | None, exclude_person_id: int | None = None) -> None:
    """Refuse a NIK already registered for someone else at this office."""
    existing = person_with_nik(office_id, nik, exclude_person_id) if nik else None
    if existing is not None:
        raise NikTaken(existing)


def open_case(
    office: Office,
    user: User,
    person_values: dict | None,
    case_values: dict,
    *,
    person: Person | None = None,
    upload: tuple[bytes, str] | None = None,
    max_photo_bytes: int,
    ip: str = "",
) -> Case:
    """Register a case from the intake form (a new person, or `person`), with the person's
    photo (`upload`: the file's bytes and name), and log it. Refuses a NIK already registered
    (NikTaken) and a file that is no photo (PhotoRejected)."""
    photo = None
    if person is None:
        ensure_nik_free(office.id, (person_values or {}).get("nik"))
        if upload:
            photo = (*read_photo(upload[0], max_photo_bytes), upload[1] or "foto")
    case = register(office, user, person_values, case_values, person=person, photo=photo)
    details = {"number": case.number, "person_id": case.person_id}
    if person is None and (confirmation := record_nik_confirmation(case, user, person_values)):
        details["nik_confirmation"] = confirmation
    audit.record(
        "case.create",
        user=user,
        ip=ip,
        object_type="case",
        object_id=case.id,
        case_id=case.id,
        details=details,
    )
    return case
