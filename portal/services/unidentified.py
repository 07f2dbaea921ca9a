"""The people found without a name, as a family or the police ask to see them: the office's
unidentified people that the user may see (the case list's rule, services.access), a page of
cards with their photos, filtered as the case list is (description words, found between dates,
age, sex). A social worker sees his own cases and is told how many of his colleagues' match.
Seeing the page is in the audit trail of each case on it."""

from __future__ import annotations

from ..models import User
from . import audit, case_list

PER_PAGE = 24


def gallery(user: User, values: dict, page: int, ip: str = "") -> case_list.CasePage:
    """One page of the unidentified people (`values`: q and the filters on the person)."""
    filters = case_list.CaseFilters(**values, unknown=True, page=page)
    result = case_list.list_cases(user, filters, per_page=PER_PAGE, elsewhere=True)
    audit.record_now_for_cases(
        "case.view_unidentified",
        [case.id for case in result.items],
        user=user,
        ip=ip,
        details={"q": values.get("q") or None, "page": result.page},
    )
    return result
