"""Search tokens for cases: a prefix search on an index, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, insert, literal_column, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Case, CaseSearchTerm
from .names import name_tokens

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def tokens_for(case: Case) -> set[str]:
    person = case.person
    tokens = set(name_tokens(person.full_name))
    number = _NON_ALNUM.sub("", case.number.lower())
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


def query_words(text: str) -> list[str]:
    """Normalise what the user typed into the words that must each prefix-match a token."""
    words = []
    compact_number = re.sub(r"[\s.\-()]", "", text or "")
    if re.fullmatch(r"\+?\d{4,}", compact_number):
        text = compact_number  # "0813 1234 5678" is one phone number
    for raw in (text or "").lower().split():
        digits = re.sub(r"[\s.\-+()]", "", raw)
        if digits.isdigit():
            if digits.startswith("62") and len(digits) > 8:
                digits = "0" + digits[2:]
            words.append(digits)
            continue
        compact = _NON_ALNUM.sub("", raw)
        if re.fullmatch(r"ks\d*", compact):
            words.append(compact)
            continue
        words.extend(name_tokens(raw))
    return [w for w in words if w][:5]


def _prefix_range(word: str, term=CaseSearchTerm):
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    return and_(term.token >= word, term.token < upper)


# How a search is run. Two indexes serve it: (office_id, token, case_id) lists the cases of a
# word, (case_id, office_id, token) answers "does this case have a word starting so?" at once.
# A rare word (a NIK, a phone, a case number, an unusual name) leads: its few cases are fetched
# and sorted. Common words ("muhammad", "andi") are checked case by case while the list is read
# in its sort order, which stops after a page. The choice is made here from a capped count of
# index entries, not left to the database: SQLite without ANALYZE statistics believes every
# office_id condition selects ten rows and would otherwise read the whole office for a NIK.
LEAD_MAX = 3000  # a word with at most this many index entries leads the page query
PRECOUNT_CAP = 20000  # index entries counted per word, at most


@dataclass
class SearchPlan:
    office_id: int
    words: list[str]
    counts: list[int]  # index entries per word, capped at PRECOUNT_CAP + 1
    size: int = 0  # the highest case id: how many cases there are, roughly (from above)

    @property
    def leader(self) -> str:
        """The word with the fewest entries (of words past the cap, the longest)."""
        best = min(range(len(self.words)), key=lambda i: (self.counts[i], -len(self.words[i])))
        return self.words[best]

    @property
    def leader_count(self) -> int:
        return min(self.counts)

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


def plan(office_id: int, text: str) -> SearchPlan | None:
    """The words typed and how many index entries each has (one query); None if no words."""
    words = query_words(text)
    if not words:
        return None
    counts = [
        select(func.count())
        .select_from(
            select(CaseSearchTerm.case_id)
            .where(CaseSearchTerm.office_id == office_id, _prefix_range(word))
            .limit(PRECOUNT_CAP + 1)
            .subquery()
        )
        .scalar_subquery()
        for word in words
    ]
    *counts, size = db.session.execute(
        select(*counts, select(func.max(Case.id)).scalar_subquery())
    ).one()
    return SearchPlan(office_id, words, list(counts), size or 0)


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
    """The same cases, fetched from the leading word's entries: for sorting a rare word's
    matches (all of them are read, so only for a selective plan)."""
    term, conditions = _leading_terms(search)
    leading = select(term.case_id).where(*conditions).distinct().subquery()
    return query.join(leading, leading.c.case_id == Case.id)


def lead_ids(query, search: SearchPlan):
    """The ids of the same cases, read from the leading word's entries as a stream (no sort,
    no temporary list), so that a LIMIT stops early: for the capped count.

    `case_id + 0` keeps the database from turning the join around (reading every case of the
    office and probing each for the word), which SQLite with ANALYZE statistics would do."""
    term, conditions = _leading_terms(search)
    return (
        query.with_only_columns(Case.id)
        .join(term, Case.id == term.case_id + literal_column("0"))
        .where(*conditions)
        .distinct()
    )


def office_ids(search: SearchPlan):
    """The ids of the office's cases having every word, from the search index alone (no case
    row is read): for counting when the list shows the whole office. Entries carry the office
    of their case (index_case writes them so)."""
    term, conditions = _leading_terms(search)
    return select(term.case_id).where(*conditions).distinct()


def apply(query, office_id: int, text: str):
    """Narrow a select(Case) to cases matching every word typed (by prefix)."""
    words = query_words(text)
    return probe(query, SearchPlan(office_id, words, [0] * len(words)))
