"""Registering a person and a case, and finding who may already be registered."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Attachment, Case, CaseEvent, Office, Person, PersonKkHistory, User
from ..models._base import utcnow
from . import audit, counters, search
from .errors import Refused
from .i18n import lazy as _l
from .images import read_photo
from .names import name_key, name_tokens, similarity, why_alike
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


@dataclass
class Candidate:
    person: Person
    reasons: list[str] = field(default_factory=list)  # nik, kk, name, birth_date
    score: float = 0.0
    name_notes: list[str] = field(default_factory=list)  # how the names differ ("Dg. = Daeng")

    @property
    def open_cases(self) -> list[Case]:
        return [c for c in self.person.cases if c.is_open]


class _Found(dict[int, Candidate]):
    """Candidates by person id, each with every reason found and its best score. The people are
    loaded (with their cases) only for the few shown: `keep`."""

    def __init__(self, exclude_person_id: int | None) -> None:
        super().__init__()
        self.exclude_person_id = exclude_person_id

    def add(self, person_id: int, reason: str, score: float) -> None:
        if person_id == self.exclude_person_id:
            return
        cand = self.setdefault(person_id, Candidate(None))  # type: ignore[arg-type]
        if reason not in cand.reasons:
            cand.reasons.append(reason)
        cand.score = max(cand.score, score)

    def keep(self, limit: int) -> list[Candidate]:
        """The best `limit` candidates (the first found first among equals), people loaded."""
        best = sorted(self.items(), key=lambda item: -item[1].score)[:limit]
        people = db.session.scalars(
            select(Person)
            .where(Person.id.in_([pid for pid, _ in best]))
            .options(selectinload(Person.cases))
        )
        by_id = {p.id: p for p in people}
        for pid, cand in best:
            cand.person = by_id[pid]
        return [cand for _, cand in best]

    @staticmethod
    def explain(shown: list[Candidate], full_name: str | None, birth_date: date | None) -> None:
        """Say why each candidate matched: the same birth date, how the names were written."""
        for cand in shown:
            if birth_date and cand.person.birth_date == birth_date:
                cand.reasons.append("birth_date")
            if "name" in cand.reasons:
                cand.name_notes = why_alike(full_name or "", cand.person.full_name)


_NAME_CANDIDATES = 25  # per side of the typed name in each range of the name index


def _similar_names(office_id: int, full_name: str | None, birth_year, regency_code, district_code):
    """(row, similarity) for the people whose name is spelled much like `full_name` and who
    may count (`_name_score`): their columns only. Read from the name index in its order,
    on each side of where the typed name would stand, so that each query stops after a few
    rows however common the first word ("Muh" has tens of thousands at 500,000 cases)."""
    key = name_key(full_name or "")
    tokens = name_tokens(full_name or "")
    if len(key) < 3 or not tokens:
        return
    base = (
        select(
            Person.id, Person.name_key, Person.birth_year, Person.regency_code, Person.district_code
        )  # fmt: skip
        .where(Person.office_id == office_id, Person.merged_into_id.is_(None))  # no pointers
        .where(*_may_count(birth_year, regency_code, district_code))
    )
    seen = set()
    for where, order in _name_ranges(tokens):
        query = base.where(*where).order_by(order).limit(_NAME_CANDIDATES)
        for row in db.session.execute(query):
            sim = similarity(key, row.name_key)
            if sim >= 0.8 and row.id not in seen:
                seen.add(row.id)
                yield row, sim


def _name_ranges(tokens: list[str]):
    """(conditions, order) of each side of the typed name in the two ranges of keys that start
    with its first word (after "mhd"), with or without "mhd" before it. When more words were
    typed, a key must also hold the start of one of them (a name spelled within 80 % shares
    both) or be the first word alone. Keys hold only letters and spaces, so [word, word + "!")
    is "word" and "word ...", and a LIKE pattern made of them needs no escaping."""
    mhd = tokens[0] == "mhd" and len(tokens) > 1
    words = tokens[1:] if mhd else tokens
    anchor, others = words[0], words[1:]
    key = Person.name_key
    for prefix in ("", "mhd "):
        start, here = prefix + anchor, prefix + " ".join(words)
        alike = [key.like(f"% {w[:3]}%") for w in dict.fromkeys(others)]
        extra = [or_(key == start, *alike)] if alike else []
        yield [key >= here, key < start + "!", *extra], key.asc()
        yield [key < here, key >= start, *extra], key.desc()


def _may_count(birth_year: int | None, regency_code: str | None, district_code: str | None):
    """The SQL side of `_name_score`: a birth year within 3 years, or unknown (the same name
    then counts), or the same region. Nothing to narrow without a birth year."""
    if birth_year is None:
        return []
    near = [Person.birth_year.between(birth_year - 3, birth_year + 3), Person.birth_year.is_(None)]
    if district_code:
        near.append(Person.district_code == district_code)
    if regency_code:
        near.append(Person.regency_code == regency_code)
    return [or_(*near)]


def _years_apart(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else abs(a - b)


def _same_region(p, regency_code: str | None, district_code: str | None) -> bool:
    return bool(
        (district_code and p.district_code == district_code)
        or (regency_code and p.regency_code == regency_code)
    )


def _name_score(p, sim: float, birth_year, regency_code, district_code) -> float | None:
    """A similar name counts with a birth year within 3 years or from the same region (or, the
    same name exactly, when a birth year is unknown); None: it does not."""
    apart = _years_apart(birth_year, p.birth_year)
    close_year = apart is not None and apart <= 3
    same_region = _same_region(p, regency_code, district_code)
    if not (close_year or same_region or (sim == 1.0 and apart is None)):
        return None
    return 1.0 + sim + (0.5 if close_year else 0) + (0.2 if same_region else 0)


def _full_number(value: str | None) -> bool:
    return bool(value) and len(value) == 16


def find_duplicates(
    office_id: int,
    *,
    nik: str | None = None,
    kk_number: str | None = None,
    full_name: str | None = None,
    birth_year: int | None = None,
    regency_code: str | None = None,
    district_code: str | None = None,
    birth_date: date | None = None,
    exclude_person_id: int | None = None,
    limit: int = 8,
) -> list[Candidate]:
    """People of this office who may be the same person: same NIK, same KK, or a similar name
    (spelling-tolerant) with a birth year within 3 years or from the same region."""
    found = _Found(exclude_person_id)
    base = select(Person.id).where(Person.office_id == office_id, Person.merged_into_id.is_(None))
    if _full_number(nik):
        for pid in db.session.scalars(base.where(Person.nik == nik)):
            found.add(pid, "nik", 3.0)
    if _full_number(kk_number):
        for pid in db.session.scalars(base.where(Person.kk_number == kk_number).limit(20)):
            found.add(pid, "kk", 2.0)
    for row, sim in _similar_names(office_id, full_name, birth_year, regency_code, district_code):
        score = _name_score(row, sim, birth_year, regency_code, district_code)
        if score is not None:
            found.add(row.id, "name", score)
    shown = found.keep(limit) if found else []
    found.explain(shown, full_name, birth_date)
    return shown


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
