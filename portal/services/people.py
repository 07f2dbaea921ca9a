"""What the person pages show (issue 13): the person page with the records that may be the
same man, his processing trail (also under the records merged into him), the people to merge
with, the merge page's comparison of two records and what undoing a merge gives back. The
merging itself: services.merge."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AuditLog, Case, Person, PersonMerge
from . import access, search
from .intake import Candidate, find_duplicates
from .merge import FIELD_GROUPS, nik_warnings


def differing(kept: Person, merged: Person) -> set[str]:
    """The rows of the merge page whose values differ (the manager's choice matters there)."""
    return {
        group
        for group, fields in FIELD_GROUPS.items()
        if any(getattr(kept, name) != getattr(merged, name) for name in fields)
    }


def why_alike(kept: Person, merged: Person) -> Candidate | None:
    """Why the two records were taken for one person (the duplicate panel's reasons: same NIK,
    same KK, a similar name, the same birth date), or None when nothing matched."""
    for one, other in ((merged, kept), (kept, merged)):
        for candidate in lookalikes(one):
            if candidate.person.id == other.id:
                return candidate
    return None


@dataclass
class Comparison:
    """What the merge page shows beside the rows."""

    differing: set[str]
    alike: Candidate | None
    nik_warnings: list[str]


def compare(kept: Person, merged: Person, choices: dict) -> Comparison:
    return Comparison(
        differing(kept, merged), why_alike(kept, merged), nik_warnings(kept, merged, choices)
    )


def absorbed_ids(person: Person) -> list[int]:
    """The ids of the records merged into this person (and into those, transitively)."""
    found, frontier = [], [person.id]
    while frontier and len(found) < 200:
        frontier = list(
            db.session.scalars(
                select(PersonMerge.merged_person_id).where(
                    PersonMerge.kept_person_id.in_(frontier), PersonMerge.undone_at.is_(None)
                )
            )
        )
        found += frontier
    return found


def trail_query(person: Person):
    """Who saw and changed this person: entries about his record and every record merged into
    him, and about his cases (moved cases bring theirs: entries keep their case_id)."""
    ids = [person.id, *absorbed_ids(person)]
    case_ids = select(Case.id).where(Case.person_id == person.id)
    return select(AuditLog).where(
        or_(
            and_(AuditLog.object_type == "person", AuditLog.object_id.in_(ids)),
            AuditLog.case_id.in_(case_ids),
        )
    )


def moved_cases(record: PersonMerge) -> list[Case]:
    """The cases the merge moved to the kept person (they go back when it is undone)."""
    ids = record.moved.get("case", []) or [0]
    return list(db.session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.id)))


def merges_of(person: Person, limit: int = 20) -> list[PersonMerge]:
    """The merges into this person, newest first."""
    return list(
        db.session.scalars(
            select(PersonMerge)
            .where(PersonMerge.kept_person_id == person.id)
            .order_by(PersonMerge.id.desc())
            .limit(limit)
        )
    )


def other_niks(person: Person, merges: list[PersonMerge]) -> list[str]:
    """NIKs recorded for records merged into this person that are not his NIK now."""
    niks = [m.merged_values.get("nik") for m in merges if m.undone_at is None]
    niks += [m.kept_values.get("nik") for m in merges if m.undone_at is None]
    return sorted({n for n in niks if n and n != person.nik})


def candidates(user, kept: Person, text: str, limit: int = 20) -> list[Person]:
    """People of the office (not `kept`, not pointers) whose cases match `text` (name, NIK,
    case number, phone), for choosing whom to merge."""
    if not (text or "").strip():
        return []
    matching = search.apply(access.visible_cases(user), user.office_id, text)
    person_ids = matching.with_only_columns(Case.person_id).limit(200)
    return list(
        db.session.scalars(
            select(Person)
            .where(
                Person.id.in_(person_ids),
                Person.id != kept.id,
                Person.merged_into_id.is_(None),
                Person.anonymised_at.is_(None),  # anonymised: merged with nobody
            )
            .options(selectinload(Person.cases))
            .order_by(Person.full_name, Person.id)
            .limit(limit)
        )
    )


@dataclass
class PersonPage:
    person: Person
    cases: list[Case]
    hidden_cases: int
    merges: list[PersonMerge]
    other_niks: list[str]
    lookalikes: list[Candidate]  # for a manager: records that may be the same person


def lookalikes(person: Person) -> list[Candidate]:
    """Other records of the office that may be this person (same NIK, KK, or a name alike):
    after an identification, the record his family had already: the manager merges them."""
    return find_duplicates(
        person.office_id, nik=person.nik, kk_number=person.kk_number,
        full_name=person.full_name, birth_year=person.birth_year,
        regency_code=person.regency_code, district_code=person.district_code,
        birth_date=person.birth_date, exclude_person_id=person.id,
    )  # fmt: skip


def person_page(user, person: Person) -> PersonPage:
    cases = list(person.cases)
    visible = [c for c in cases if access.can_view_case(user, c)]
    manager = access.can_merge_people(user, person.office_id)
    merges = merges_of(person) if manager else []
    return PersonPage(
        person=person,
        cases=visible,
        hidden_cases=len(cases) - len(visible),
        merges=merges,
        other_niks=other_niks(person, merges or merges_of(person)),
        lookalikes=lookalikes(person) if manager else [],
    )
