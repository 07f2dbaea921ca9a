"""Who may see and do what. Every case query of a view starts here."""

from __future__ import annotations

from sqlalchemy import or_, select, union

from ..models import Case, User


def visible_cases(user: User):
    """A select() of the cases this user may see: nothing for admin, the office for a manager,
    for a social worker the cases assigned to them or registered by them."""
    query = select(Case).where(Case.office_id == user.office_id)
    if user.role == "manager":
        return query
    if user.role == "worker":
        return query.where(or_(Case.assigned_to_id == user.id, Case.created_by_id == user.id))
    return query.where(False)


def counted_cases(user: User):
    """visible_cases() shaped for counting (dashboard, reports): a social worker's cases as two
    index look-ups (assigned to them, registered by them) instead of an OR, which makes the
    database read the whole office's cases to find theirs."""
    if user.role != "worker":
        return visible_cases(user)
    return select(Case).where(Case.office_id == user.office_id, Case.id.in_(counted_ids(user)))


def counted_ids(user: User):
    """A select of the ids of the cases this user may see, for `IN (…)` (as counted_cases)."""
    if user.role != "worker":
        return visible_cases(user).with_only_columns(Case.id)
    return union(
        select(Case.id).where(Case.office_id == user.office_id, Case.assigned_to_id == user.id),
        select(Case.id).where(Case.office_id == user.office_id, Case.created_by_id == user.id),
    )


def can_view_case(user: User, case: Case) -> bool:
    if case.office_id != user.office_id:
        return False
    if user.role == "manager":
        return True
    if user.role == "worker":
        return user.id in (case.assigned_to_id, case.created_by_id)
    return False


def can_edit_case(user: User, case: Case) -> bool:
    """A closed case is read-only (only reopening it is allowed: services.closure)."""
    return case.status != "closed" and can_view_case(user, case)


def can_assign(user: User, case: Case) -> bool:
    return user.role == "manager" and case.office_id == user.office_id and case.status != "closed"


def can_register(user: User) -> bool:
    return user.role in ("worker", "manager")


def can_view_person(user: User, person) -> bool:
    """A person is visible through any case of theirs the user may see."""
    if person.office_id != user.office_id or user.role not in ("worker", "manager"):
        return False
    if user.role == "manager":
        return True
    return any(can_view_case(user, case) for case in person.cases)


def record_view(user: User, case: Case, action: str = "case.view", ip: str = "", **details):
    """Viewing a case (its file, a referral, its audit trail, a print) is processing too (UU PDP
    Pasal 31): the entry is committed at once, in a short transaction of its own."""
    from . import audit

    audit.record_now(
        action,
        user=user,
        ip=ip,
        object_type="case",
        object_id=case.id,
        case_id=case.id,
        details=details or None,
    )
