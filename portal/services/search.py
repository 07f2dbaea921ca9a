"""Search tokens for cases: a prefix search on an index, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import and_, delete, insert, select

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


def _prefix_range(word: str):
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    return and_(CaseSearchTerm.token >= word, CaseSearchTerm.token < upper)


def apply(query, office_id: int, text: str):
    """Narrow a select(Case) to cases matching every word typed (by prefix)."""
    for word in query_words(text):
        matching = select(CaseSearchTerm.case_id).where(
            CaseSearchTerm.office_id == office_id, _prefix_range(word)
        )
        query = query.where(Case.id.in_(matching))
    return query
