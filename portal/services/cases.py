"""Working a case: edits that never overwrite each other, assignment, notes, the timeline, lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Column, func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.sql.visitors import iterate

from ..extensions import db
from ..models import AuditLog, Case, CaseEvent, Person, PersonKkHistory, User
from ..models._base import utcnow
from ..models.cases import OPEN_STATUSES
from . import access, audit, followups, search, workdays
from .errors import NotPermitted, Refused, StaleVersion
from .i18n import lazy as _l
from .intake import CASE_FIELDS, PERSON_FIELDS, apply_person_fields, ensure_nik_free
from .timeutil import day_start_utc, office_today
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
    for name in CASE_FIELDS:
        if name in values:
            setattr(case, name, values[name])
    changes = diff(before, _values(case, CASE_FIELDS))
    if not changes:
        return {}
    case.updated_at = utcnow()
    _flush_version()
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
    audit.record(
        "person.update",
        user=user,
        ip=ip,
        object_type="person",
        object_id=person.id,
        case_id=case.id,
        details={"version": person.version_id, "changes": changes},
    )
    if {"full_name", "nik", "kk_number", "phone"} & changes.keys():
        for other in person.cases:
            search.index_case(other)
    return changes


def assign(case: Case, manager: User, worker: User, ip: str = "") -> None:
    if not access.can_assign(manager, case):
        raise NotPermitted(str(_l("Hanya manajer kantor ini yang menugaskan kasus.")))
    if worker.office_id != case.office_id or worker.role != "worker" or not worker.active:
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
            .options(joinedload(CaseEvent.actor))
            .order_by(CaseEvent.created_at.desc(), CaseEvent.id.desc())
        )
    )


def load_case(case_id: int) -> Case | None:
    return db.session.scalars(
        select(Case)
        .where(Case.id == case_id)
        .options(
            joinedload(Case.person).selectinload(Person.cases),
            joinedload(Case.assigned_to),
            joinedload(Case.created_by),
            joinedload(Case.local_type),
            joinedload(Case.ppks),
        )
    ).first()


def office_workers(office_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.office_id == office_id, User.role == "worker", User.active.is_(True))
            .order_by(User.full_name)
        )
    )


# --- the case list -------------------------------------------------------------------------

SORTS = {
    "newest": (Case.created_at.desc(), Case.id.desc()),
    "oldest": (Case.created_at.asc(), Case.id.asc()),
    "reported": (Case.reported_at.desc(), Case.id.desc()),
    "number": (Case.number.desc(),),
}
COUNT_CAP = 10000


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    category: str = ""  # "P:08" (PPKS) or "L:3" (local case type)
    worker: str = ""  # user id, or "none"
    district: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "newest"
    page: int = 1
    # the dashboard's and the reports' links (services.reports): what is behind each number
    reason: str = ""  # closed with this reason ("none": no closure recorded)
    closed_from: date | None = None  # closed (Case.closed_at) in this range
    closed_to: date | None = None
    active_on: date | None = None  # reported by then and not closed at its end
    referral: str = ""  # "waiting" (submitted), "approved" (decided), "handover" (completed)
    referral_kind: str = ""
    ref_from: date | None = None  # decided (approved) / handed over (handover) in this range
    ref_to: date | None = None
    overdue: bool = False  # with a follow-up overdue
    disaster: str = ""  # disaster type


def _day(value: date, user: User) -> datetime:
    """Where `value` begins at the user's office, in stored (UTC) time."""
    return day_start_utc(value, user.office.timezone)


def closed_reason_filter(query, reason: str):
    """Cases whose current closure (approved or closed at once) has this reason."""
    from ..models import CaseClosure

    done = select(CaseClosure.case_id).where(CaseClosure.status.in_(("approved", "closed")))
    if reason == "none":
        return query.where(Case.id.not_in(done))
    return query.where(Case.id.in_(done.where(CaseClosure.reason == reason)))


def active_on_filter(query, day: date, user: User):
    """Reported by the end of `day` (at the user's office) and open then: open now, or closed
    after that day. (A case closed before `day` and reopened since counts as open: rare.)"""
    end = _day(day + timedelta(1), user)
    return query.where(
        Case.reported_at < end,
        Case.status.in_(OPEN_STATUSES) | ((Case.status == "closed") & (Case.closed_at >= end)),
    )


def _extra_filters(query, user: User, f: CaseFilters):
    from ..models import FollowUp, Referral

    if f.reason:
        query = closed_reason_filter(query.where(Case.status == "closed"), f.reason)
    if f.closed_from or f.closed_to:
        query = query.where(Case.status == "closed")
        if f.closed_from:
            query = query.where(Case.closed_at >= _day(f.closed_from, user))
        if f.closed_to:
            query = query.where(Case.closed_at < _day(f.closed_to + timedelta(1), user))
    if f.active_on:
        query = active_on_filter(query, f.active_on, user)
    if f.referral in ("waiting", "approved", "handover"):
        refs = select(Referral.case_id).where(Referral.office_id == user.office_id)
        if f.referral_kind:
            refs = refs.where(Referral.kind == f.referral_kind)
        if f.referral == "waiting":
            refs = refs.where(Referral.status == "submitted")
        elif f.referral == "approved":
            refs = refs.where(Referral.status.in_(("approved", "completed")))
            if f.ref_from:
                refs = refs.where(Referral.decided_at >= _day(f.ref_from, user))
            if f.ref_to:
                refs = refs.where(Referral.decided_at < _day(f.ref_to + timedelta(1), user))
        else:
            refs = refs.where(Referral.status == "completed")
            if f.ref_from:
                refs = refs.where(Referral.handover_date >= f.ref_from)
            if f.ref_to:
                refs = refs.where(Referral.handover_date <= f.ref_to)
        query = query.where(Case.id.in_(refs))
    if f.overdue:
        cutoff = workdays.overdue_cutoff(office_today(user.office))
        late = select(FollowUp.case_id).where(
            FollowUp.office_id == user.office_id,
            FollowUp.status == "open",
            FollowUp.due_date <= cutoff,
        )
        query = query.where(Case.id.in_(late))
    if f.disaster:
        query = query.where(Case.disaster_type == f.disaster)
    return query


@dataclass
class CasePage:
    items: list[Case]
    total: int
    capped: bool
    page: int
    per_page: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _narrowed(user: User, f: CaseFilters):
    """The cases this user may see, narrowed by every filter except the search words."""
    query = access.visible_cases(user)
    if f.status == "open":
        # Not "!= 'closed'": an IN list seeks the open statuses in the status index instead of
        # reading past the (many) closed cases first.
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif f.status:
        query = query.where(Case.status == f.status)
    if f.category.startswith("P:"):
        query = query.where(Case.ppks_code == f.category[2:])
    elif f.category.startswith("L:") and f.category[2:].isdigit():
        query = query.where(Case.local_type_id == int(f.category[2:]))
    if f.worker == "none":
        query = query.where(Case.assigned_to_id.is_(None))
    elif f.worker.isdigit():
        query = query.where(Case.assigned_to_id == int(f.worker))
    if f.district:
        query = query.where(Case.district_code == f.district)
    if f.date_from:
        query = query.where(Case.reported_at >= _day(f.date_from, user))
    if f.date_to:
        query = query.where(Case.reported_at < _day(f.date_to + timedelta(1), user))
    return _extra_filters(query, user, f)


def filtered_query(user: User, f: CaseFilters):
    """A select(Case) of the cases the list shows for these filters (unsorted)."""
    query = _narrowed(user, f)
    if f.q:
        query = search.apply(query, user.office_id, f.q)
    return query


def _capped_count(ids, cap: int) -> int:
    """How many rows `ids` (a select of case ids) has, counting no further than `cap`."""
    return db.session.scalar(
        select(func.count()).select_from(ids.order_by(None).limit(cap).subquery())
    )


def _is_whole_office(query, user: User) -> bool:
    """Whether `query` is exactly "every case of the user's office" (a manager, no filter)."""
    where = query.whereclause
    return where is not None and where.compare(Case.office_id == user.office_id)


def list_cases(user: User, f: CaseFilters, per_page: int = 25) -> CasePage:
    """One page of the list and the number of cases (exact up to COUNT_CAP).

    With search words, search.plan() counts each word's index entries first (one cheap query)
    and the page and the count are then built so that the smaller side drives: a rare word's
    cases are fetched and sorted; common words are checked while the list is read in order,
    and counted from the word's index entries, or from the filtered cases when those are
    fewer (a social worker's own cases, a narrow filter)."""
    narrowed = _narrowed(user, f)
    found = search.plan(user.office_id, f.q) if f.q else None
    if found is None:
        paged = narrowed
        counted = narrowed.with_only_columns(Case.id)
    else:
        if _is_whole_office(narrowed, user):
            counted = search.office_ids(found)
        elif found.selective:
            counted = search.lead_ids(narrowed, found)
        else:
            few = _capped_count(narrowed.with_only_columns(Case.id), found.leader_count + 1)
            if few <= found.leader_count:
                counted = search.probe(narrowed, found).with_only_columns(Case.id)
            else:
                counted = search.lead_ids(narrowed, found)
    total = _capped_count(counted, COUNT_CAP + 1)
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    page = max(1, min(f.page, max(1, -(-total // per_page))))
    if found is not None:
        # Now that the count is known: a few matches are fetched from the leading word and
        # sorted; many are met soon enough while reading the list in its order.
        if not capped and found.lead_page(total, page * per_page):
            paged = search.lead(narrowed, found)
        else:
            paged = search.probe(narrowed, found)
    order = SORTS.get(f.sort, SORTS["newest"])
    # The page's ids first (narrow rows, through the indexes), then those 25 cases in full.
    if found is None and not capped:
        # At most COUNT_CAP cases: find them by their filters, then sort them. Walking the
        # newest-first index instead can pass most of the office first (a month a year ago:
        # reported_at follows created_at, which neither database's statistics know). OFFSET
        # keeps the database from merging the two steps back into one.
        columns = {"id": Case.__table__.c.id}  # the id and whatever the sort reads
        for clause in order:
            columns.update((c.key, c) for c in iterate(clause) if isinstance(c, Column))
        pool = paged.with_only_columns(*columns.values()).offset(0).subquery()
        ids = select(pool.c.id).order_by(*(ClauseAdapter(pool).traverse(o) for o in order))
    else:
        ids = paged.with_only_columns(Case.id).order_by(*order)
    ids = ids.limit(per_page).offset((page - 1) * per_page)
    items = list(
        db.session.scalars(
            select(Case)
            .where(Case.id.in_(ids))
            .options(
                joinedload(Case.person),
                joinedload(Case.assigned_to),
                joinedload(Case.local_type),
                joinedload(Case.ppks),
            )
            .order_by(*order)
        ).unique()
    )
    return CasePage(items=items, total=total, capped=capped, page=page, per_page=per_page)
