"""Working a case: edits that never overwrite each other, assignment, notes, the timeline.
The case list is services.case_list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import (
    AuditLog,
    Case,
    CaseClosure,
    CaseEvent,
    LocalCaseType,
    Person,
    PersonKkHistory,
    PpksCategory,
    Referral,
    User,
)
from ..models._base import utcnow
from ..models.cases import urgency_rank
from . import access, audit, followups, reference, search
from .errors import NotPermitted, Refused, StaleVersion
from .i18n import lazy as _l
from .intake import (
    CASE_FIELDS,
    PERSON_FIELDS,
    apply_person_fields,
    check_disaster,
    ensure_nik_free,
    record_nik_confirmation,
)
from .timeutil import office_today
from .workflow import set_workflow_fields


@dataclass
class Change:
    field: str
    old: object
    new: object


ConcurrentEdit = StaleVersion  # the record was saved by someone else after the form was opened


def _values(obj, names) -> dict:
    return {n: getattr(obj, n) for n in names}


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def diff(before: dict, after: dict) -> dict:
    return {
        name: [_jsonable(before.get(name)), _jsonable(after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def changes_since(object_type: str, object_id: int, version: int) -> list[dict]:
    """What others saved to this record after `version` (from the audit log), oldest first."""
    entries = db.session.scalars(
        select(AuditLog)
        .where(
            AuditLog.object_type == object_type,
            AuditLog.object_id == object_id,
            AuditLog.action == f"{object_type}.update",
        )
        .options(joinedload(AuditLog.user))
        .order_by(AuditLog.id.desc())
        .limit(50)
    )
    result = []
    for entry in entries:
        details = entry.details or {}
        if details.get("version", 0) > version:
            result.append(
                {
                    "by": entry.user.full_name if entry.user else "?",
                    "at": entry.at,
                    "fields": details.get("changes", {}),
                }
            )
    return list(reversed(result))


def _stale(changes=()) -> StaleVersion:
    return StaleVersion(str(_l("Data sudah diubah orang lain.")), changes=changes)


def _check_version(obj, object_type: str, submitted_version: int) -> None:
    if submitted_version != obj.version_id:
        raise _stale(changes_since(object_type, obj.id, submitted_version))


def _flush_version() -> None:
    try:
        db.session.flush()  # bumps version_id; fails if someone saved meanwhile
    except StaleDataError:
        raise _stale() from None


def update_case(case: Case, user: User, values: dict, version: int, ip: str = "") -> dict:
    """Save case fields if nobody saved since `version`. Returns the changes (maybe empty)."""
    _check_version(case, "case", version)
    before = _values(case, CASE_FIELDS)
    check_disaster({"ppks_code": case.ppks_code, "disaster_type": case.disaster_type} | values)
    for name in CASE_FIELDS:
        if name in values:
            setattr(case, name, values[name])
    changes = diff(before, _values(case, CASE_FIELDS))
    if not changes:
        return {}
    case.updated_at = utcnow()
    _flush_version()
    if "urgency" in changes:
        _rank_waiting_items(case)
    db.session.add(
        CaseEvent(case_id=case.id, kind="edited", actor_id=user.id, data={"changes": changes})
    )
    audit.record(
        "case.update",
        user=user,
        ip=ip,
        object_type="case",
        object_id=case.id,
        case_id=case.id,
        details={"version": case.version_id, "changes": changes},
    )
    return changes


def _rank_waiting_items(case: Case) -> None:
    """The case's referrals and closures carry its urgency for the approval desk's order: written
    straight to their rows (no version bump: a referral form open elsewhere stays valid)."""
    rank = urgency_rank(case.urgency)
    for model in (Referral, CaseClosure):
        db.session.execute(
            update(model).where(model.case_id == case.id).values(urgency_rank=rank),
            execution_options={"synchronize_session": "fetch"},
        )


def update_person(
    person: Person, case: Case, user: User, values: dict, version: int, ip: str = ""
) -> dict:
    ensure_nik_free(person.office_id, values.get("nik"), exclude_person_id=person.id)
    _check_version(person, "person", version)
    before = _values(person, PERSON_FIELDS)
    apply_person_fields(person, values, office_today(user.office))
    changes = diff(before, _values(person, PERSON_FIELDS))
    if not changes:
        return {}
    person.updated_at = utcnow()
    if "kk_number" in changes and person.kk_number:
        db.session.add(
            PersonKkHistory(person_id=person.id, kk_number=person.kk_number, recorded_by_id=user.id)
        )
    _flush_version()
    db.session.add(
        CaseEvent(
            case_id=case.id, kind="person_edited", actor_id=user.id, data={"changes": changes}
        )
    )
    details = {"version": person.version_id, "changes": changes}
    if confirmation := record_nik_confirmation(case, user, values):
        details["nik_confirmation"] = confirmation
    audit.record(
        "person.update",
        user=user,
        ip=ip,
        object_type="person",
        object_id=person.id,
        case_id=case.id,
        details=details,
    )
    if search.INDEXED_PERSON_FIELDS & changes.keys():
        for other in person.cases:
            search.index_case(other)
    return changes


def assign(case: Case, manager: User, worker: User, ip: str = "") -> None:
    if not access.can_assign(manager, case):
        raise NotPermitted(str(_l("Hanya manajer kantor ini yang menugaskan kasus.")))
    if not access.can_be_assigned(worker, case):
        raise Refused(str(_l("Pilih pekerja sosial dari daftar.")), field="worker")
    previous = case.assigned_to
    set_workflow_fields(
        case,
        assigned_to_id=worker.id,
        status="in_progress" if case.status == "new" else case.status,
        updated_at=utcnow(),
    )
    set_committed_value(case, "assigned_to", worker)
    followups.hand_over_to(case, previous, worker, manager, ip=ip)
    db.session.add(
        CaseEvent(
            case_id=case.id,
            kind="assigned",
            actor_id=manager.id,
            data={"from": previous.full_name if previous else None, "to": worker.full_name},
        )
    )
    audit.record(
        "case.assign",
        user=manager,
        ip=ip,
        object_type="case",
        object_id=case.id,
        case_id=case.id,
        details={"from": previous.id if previous else None, "to": worker.id},
    )


def add_note(case: Case, user: User, text: str, ip: str = "") -> CaseEvent:
    event = CaseEvent(case_id=case.id, kind="note", actor_id=user.id, body=text.strip())
    db.session.add(event)
    set_workflow_fields(case, updated_at=utcnow())
    db.session.flush()
    audit.record(
        "case.note",
        user=user,
        ip=ip,
        object_type="case_event",
        object_id=event.id,
        case_id=case.id,
    )
    return event


def timeline(case: Case) -> list[CaseEvent]:
    return list(
        db.session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .options(joinedload(CaseEvent.actor).lazyload(User.office))  # see load_case
            .order_by(CaseEvent.created_at.desc(), CaseEvent.id.desc())
        )
    )


def load_case(case_id: int) -> Case | None:
    return db.session.scalars(
        select(Case)
        .where(Case.id == case_id)
        .options(
            joinedload(Case.person).selectinload(Person.cases),
            joinedload(Case.person).joinedload(Person.registry_status),  # its card
            joinedload(Case.person).joinedload(Person.guardians),  # services.consent
            # A user's office comes joined with him (User.office): not the office again for
            # each user shown (his name), which is the reader's, already in the session.
            joinedload(Case.assigned_to).lazyload(User.office),
            joinedload(Case.created_by).lazyload(User.office),
            joinedload(Case.local_type),
            joinedload(Case.ppks),
        )
    ).first()


def category_names(office_id: int) -> tuple[list, list]:
    """The office's active local case types as (id, name, ppks_code) rows by name, and the 26
    PPKS categories as (code, name) rows by code: what the case list's filter offers (the
    intake form's intake.routes.category_options loads whole objects for its rules)."""
    local_types = db.session.execute(
        select(LocalCaseType.id, LocalCaseType.name, LocalCaseType.ppks_code)
        .where(LocalCaseType.office_id == office_id, LocalCaseType.active.is_(True))
        .order_by(LocalCaseType.name)
    )
    ppks = select(PpksCategory.code, PpksCategory.name).order_by(PpksCategory.code)
    # reference data (migration 0001), kept per app process
    return list(local_types), reference.kept("ppks", None, lambda: db.session.execute(ppks))


def office_workers(office_id: int) -> list:
    """The office's active social workers as (id, full_name) rows, by name: the assign form
    and the list's filter show no more, and whole User objects cost a page 1 ms."""
    return list(
        db.session.execute(
            select(User.id, User.full_name)
            .where(User.office_id == office_id, User.role == "worker", User.active.is_(True))
            .order_by(User.full_name)
        )
    )
