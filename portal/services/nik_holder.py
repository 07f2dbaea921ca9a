"""What a user may learn when the NIK they typed is already registered to someone else: the
person (name, their case, a link to register a new case for them) only for a user who may see
that person (services.access); anyone else learns that the NIK is registered and whom to ask:
the social workers handling the person's open cases (else their last ones) by name, or a
manager. The name behind a
NIK is never told to someone who may not see that person."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..extensions import db
from ..models import Case, Person, User
from . import access


@dataclass
class NikHolder:
    person: Person | None = None  # None: the user may not see this person
    case: Case | None = None  # the person's first case this user may see
    handlers: list[str] = field(default_factory=list)  # whom to ask, when the person is hidden


def holder_for(user: User, person: Person | None) -> NikHolder | None:
    if person is None:
        return None
    if access.can_view_person(user, person):
        visible = [case for case in person.cases if access.can_view_case(user, case)]
        return NikHolder(person=person, case=visible[0] if visible else None)
    cases = [case for case in person.cases if case.office_id == user.office_id]
    open_cases = [case for case in cases if case.status != "closed"]
    handler_ids = {case.assigned_to_id or case.created_by_id for case in open_cases or cases}
    names = sorted(
        handler.full_name
        for handler_id in handler_ids
        if (handler := db.session.get(User, handler_id)) is not None and handler.active
    )
    return NikHolder(handlers=names)
