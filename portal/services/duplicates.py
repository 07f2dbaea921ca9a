"""Who may already be registered: the duplicate check while the intake form is typed, and a
person page's lookalikes (same NIK, same KK, or a name spelled alike with a close birth year or
from the same region). Kept apart from intake.py, which re-exports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Case, Person
from .names import name_key, name_tokens, similarity, why_alike


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
