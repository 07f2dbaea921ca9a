"""Search tokens for cases: a prefix search on an index, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, func, insert, literal_column, or_, select, update
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Case, CaseSearchTerm, Office, Person, PersonMerge
from ..models.offices import SEARCH_INDEX_VERSION
from . import search_words
from .names import search_tokens

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

_PERSON_COLUMNS = (Person.full_name, Person.nik, Person.kk_number, Person.phone,
                   Person.physical_description, Person.found_place, Person.identity_known,
                   Person.sex, Person.estimated_age)  # fmt: skip


# The person's fields the tokens are made of: a change to one re-indexes the person's cases.
INDEXED_PERSON_FIELDS = frozenset(c.key for c in _PERSON_COLUMNS)


def tokens_for(case: Case) -> set[str]:
    niks = merged_niks([case.person_id]).get(case.person_id, set())
    return case_tokens(case.number, case.person, niks)


def merged_niks(person_ids: list[int]) -> dict[int, set[str]]:
    """The NIKs the records merged into each of these people had (merges not undone): the
    person page lists them as "NIK lain", and a search for one finds his cases. One query."""
    rows = db.session.execute(
        select(PersonMerge.kept_person_id, PersonMerge.merged_values, PersonMerge.kept_values)
        .where(PersonMerge.kept_person_id.in_(person_ids), PersonMerge.undone_at.is_(None))
    ).all()  # fmt: skip
    niks: dict[int, set[str]] = {}
    for person_id, merged, kept in rows:
        found = {(values or {}).get("nik") for values in (merged, kept)}
        niks.setdefault(person_id, set()).update(n for n in found if n)
    return niks


def case_tokens(case_number: str, person, other_niks=()) -> set[str]:
    """The tokens of a case: its number and its person's (a Person, or any object with the
    person's columns as attributes: a row, or bench/seed_large.py's generated values), and the
    NIKs of the records merged into him (`other_niks`)."""
    tokens = search_tokens(person.full_name) | search_words.stems_of(person.full_name)
    tokens.update(other_niks)
    tokens |= search_words.description_tokens(person.physical_description, person.found_place)
    if not person.identity_known:
        tokens |= search_words.unknown_person_tokens(person)
    number = _NON_ALNUM.sub("", case_number.lower())
    tokens.update({number, number[-6:], number[-6:].lstrip("0")})
    if person.nik:
        tokens.add(person.nik)
    if person.kk_number:
        tokens.add(person.kk_number)
    if person.phone:
        digits = person.phone.lstrip("+")
        tokens.add(digits)
        if digits.startswith("62"):
            tokens.add("0" + digits[2:])
    return {t[:40] for t in tokens if t}


def index_case(case: Case) -> None:
    db.session.flush()
    db.session.execute(delete(CaseSearchTerm).where(CaseSearchTerm.case_id == case.id))
    db.session.execute(
        insert(CaseSearchTerm),
        [{"case_id": case.id, "office_id": case.office_id, "token": t} for t in tokens_for(case)],
    )


# --- rebuilding the index (`flask reindex-search`) -------------------------------------------------


def offices_to_reindex(only_stale: bool) -> list[Office]:
    query = select(Office).order_by(Office.id)
    if only_stale:
        query = query.where(
            or_(Office.search_version.is_(None), Office.search_version != SEARCH_INDEX_VERSION)
        )
    return list(db.session.scalars(query))


def reindex_office(office_id: int, batch: int = 2000) -> Iterator[tuple[int, int]]:
    """Rebuild an office's search tokens, `batch` cases at a time, in case id order: yields
    (done, total) after each batch so that the caller commits it (memory and transactions stay
    small at 500,000 cases). The office is marked current after the last batch only, so an
    interrupted rebuild is run again in full by `--if-needed`."""
    total = db.session.scalar(select(func.count(Case.id)).where(Case.office_id == office_id))
    done, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(Case.id, Case.number, Case.person_id, *_PERSON_COLUMNS)
            .join(Person, Person.id == Case.person_id)
            .where(Case.office_id == office_id, Case.id > last_id)
            .order_by(Case.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        ids = [row.id for row in rows]
        db.session.execute(delete(CaseSearchTerm).where(CaseSearchTerm.case_id.in_(ids)))
        niks = merged_niks(list({row.person_id for row in rows}))
        terms = [
            {"case_id": row.id, "office_id": office_id, "token": token}
            for row in rows
            for token in case_tokens(row.number, row, niks.get(row.person_id, ()))
        ]
        db.session.execute(insert(CaseSearchTerm), terms)
        done, last_id = done + len(rows), ids[-1]
        yield done, total
    db.session.execute(
        update(Office).where(Office.id == office_id).values(search_version=SEARCH_INDEX_VERSION)
    )


def _number_token(raw: str) -> str | None:
    """A typed number (a phone's +62 as 0) or case number ("ks…"), else None."""
    digits = re.sub(r"[\s.\-+()]", "", raw)
    if digits.isdigit():
        if digits.startswith("62") and len(digits) > 8:
            digits = "0" + digits[2:]
        return digits
    compact = _NON_ALNUM.sub("", raw)
    return compact if re.fullmatch(r"ks\d*", compact) else None


def query_words(text: str) -> list[str]:
    """Normalise what the user typed into the words that must each prefix-match a token:
    numbers as they are; other words without the stopwords, stemmed or as name tokens
    (services.search_words), the way tokens_for indexed them."""
    compact_number = re.sub(r"[\s.\-()]", "", text or "")
    if re.fullmatch(r"\+?\d{4,}", compact_number):
        text = compact_number  # "0813 1234 5678" is one phone number
    numbers, words = [], []
    for raw in search_words.mark_phrases((text or "").lower()).split():
        number = _number_token(raw)
        if number:
            numbers.append(number)
        else:
            words += search_words.letter_words(raw)
    # "48 tahun", "umur 48": with a number typed, the words of an age are left out too
    words = search_words.without_stopwords(words, keep_all=not numbers) if words else []
    found = numbers + [f for w in words for f in search_words.typed_forms(w)]
    return list(dict.fromkeys(w for w in found if w))[:5]


def typed_nothing(text: str) -> bool:
    """Whether a search typed letters or digits that leave no word to look for (only titles
    such as "Hj" or "H."): it finds no case, rather than every case."""
    return bool(re.search(r"[0-9A-Za-z]", text or "")) and not query_words(text)


def _prefix_range(word: str, term=CaseSearchTerm):
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    return and_(term.token >= word, term.token < upper)


# How a search is run (case_list.list_cases puts it together). Two indexes serve it:
# (office_id, token, case_id) lists the cases of a word, (case_id, office_id, token) answers
# "does this case have a word starting so?" in one probe. A rare word (a NIK, a phone, a case
# number, an unusual name) leads: its few cases are fetched and sorted. Common words
# ("muhammad", "andi") are checked case by case while the list is read in its sort order, which
# stops after a page; they are counted from the word's entries. The choice is made here, from
# capped counts of index entries, and the SQL is shaped so that the database cannot choose
# otherwise: SQLite without ANALYZE statistics takes every office_id condition for ten rows and
# would read the whole office for a NIK; with statistics it would read 70,000 "muhammad" cases
# to sort them. bench/pages.py measures each case; bench/verify_list.py checks the answers.
LEAD_MAX = 3000  # a word with at most this many index entries leads the page query
PRECOUNT_CAP = 20000  # index entries counted per word, at most


@dataclass
class SearchPlan:
    office_id: int
    words: list[str]
    counts: list[int]  # index entries per word, capped at PRECOUNT_CAP + 1
    single: list[bool] = field(default_factory=list)  # all of a word's entries: one token
    size: int = 0  # the highest case id: how many cases there are, roughly (from above)
    typed: int = 0  # how many of the words were typed (not the unknown filter's marker)

    @property
    def _best(self) -> int:
        """The word with the fewest entries (of words past the cap, the longest)."""
        return min(range(len(self.words)), key=lambda i: (self.counts[i], -len(self.words[i])))

    @property
    def leader(self) -> str:
        return self.words[self._best]

    @property
    def leader_count(self) -> int:
        return self.counts[self._best]

    @property
    def leader_unique(self) -> bool:
        """The leader's entries name each case once: one token, and a case has a token once
        (unique index), so its case ids need no DISTINCT, which lets a count stop early."""
        return bool(self.single) and self.single[self._best]

    @property
    def selective(self) -> bool:
        return self.leader_count <= LEAD_MAX

    def lead_page(self, found: int, rows: int) -> bool:
        """Whether to fetch the page from the leading word's entries, knowing that `found`
        cases match (an exact count): reading the list in order until `rows` matches have
        passed would take some rows * size / found cases, more than the leader's entries."""
        return self.selective or rows * self.size > max(found, 1) * self.leader_count

    def others(self) -> list[str]:
        rest = list(self.words)
        rest.remove(self.leader)
        return rest


def words_for(text: str, unknown: bool = False) -> list[str]:
    """The words to look up: those typed, and with `unknown` (the list's filter "identitas
    tidak diketahui") the marker every unidentified person's cases carry: the office's
    unidentified people are then found like a word, from the index (office, token, case_id),
    not by reading every person of the office."""
    words = query_words(text)
    if unknown and search_words.UNKNOWN_TOKEN not in words:
        words.append(search_words.UNKNOWN_TOKEN)
    return words


def plan(office_id: int, text: str, unknown: bool = False) -> SearchPlan | None:
    """The words typed (services.search.words_for), how many index entries each has and
    whether they are all one token (a single query of index lookups); None if no words."""
    words = words_for(text, unknown)
    if not words:
        return None
    columns = []
    for word in words:
        entries = select(CaseSearchTerm.token).where(
            CaseSearchTerm.office_id == office_id, _prefix_range(word)
        )
        count = select(func.count()).select_from(entries.limit(PRECOUNT_CAP + 1).subquery())
        first = entries.order_by(CaseSearchTerm.token).limit(1)
        last = entries.order_by(CaseSearchTerm.token.desc()).limit(1)
        columns += [count.scalar_subquery(), first.scalar_subquery(), last.scalar_subquery()]
    columns.append(select(func.max(Case.id)).scalar_subquery())
    row = db.session.execute(select(*columns)).one()
    counts = list(row[0:-1:3])
    single = [
        first is not None and first == last
        for first, last in zip(row[1:-1:3], row[2:-1:3], strict=True)
    ]
    typed = len(query_words(text))
    return SearchPlan(office_id, words, counts, single, row[-1] or 0, typed)


def _has_word(office_id: int, word: str, case_id=Case.id):
    """EXISTS: case `case_id` has a token starting with `word` (one probe of an index)."""
    term = aliased(CaseSearchTerm)
    return (
        select(term.id)
        .where(term.case_id == case_id, term.office_id == office_id, _prefix_range(word, term))
        .exists()
    )


def probe(query, search: SearchPlan):
    """Narrow a select(Case) to cases having every word, checked case by case: for reading
    the list in its sort order when the words are common (a page is found after few cases)."""
    for word in search.words:
        query = query.where(_has_word(search.office_id, word))
    return query


def _leading_terms(search: SearchPlan):
    """The leading word's index entries, with the other words checked on the same case id
    before the case row is read."""
    term = aliased(CaseSearchTerm)
    conditions = [term.office_id == search.office_id, _prefix_range(search.leader, term)]
    conditions += [_has_word(search.office_id, w, term.case_id) for w in search.others()]
    return term, conditions


def lead(query, search: SearchPlan):
    """The same cases, fetched from the leading word's entries: all of them are read and
    sorted, so for a rare leading word or a few matches."""
    term, conditions = _leading_terms(search)
    leading = select(term.case_id).where(*conditions).distinct().subquery()
    return query.join(leading, leading.c.case_id == Case.id)


def lead_ids(query, search: SearchPlan):
    """The ids of the same cases, read from the leading word's entries as a stream (no sort,
    no temporary list), so that a LIMIT stops early: for the capped count.

    `case_id + 0` keeps the database from turning the join around (reading every case of the
    office and probing each for the word), which SQLite with ANALYZE statistics would do."""
    term, conditions = _leading_terms(search)
    ids = (
        query.with_only_columns(Case.id)
        .join(term, Case.id == term.case_id + literal_column("0"))
        .where(*conditions)
    )
    return ids if search.leader_unique else ids.distinct()


def office_ids(search: SearchPlan):
    """The ids of the office's cases having every word, from the search index alone (no case
    row is read): for counting when the list shows the whole office. Entries carry the office
    of their case (index_case writes them so)."""
    term, conditions = _leading_terms(search)
    ids = select(term.case_id).where(*conditions)
    return ids if search.leader_unique else ids.distinct()


def apply(query, office_id: int, text: str, unknown: bool = False):
    """Narrow a select(Case) to cases matching every word typed (by prefix)."""
    words = words_for(text, unknown)
    return probe(query, SearchPlan(office_id, words, [0] * len(words)))
