"""Follow-ups: every step is a function here, checked and recorded.

A follow-up is open until its outcome: done (date, what was found, next step), not reached
(reason) or cancelled (reason). Due dates may be given in working days (services.workdays); a
follow-up is overdue once a whole working day has passed after its due date. The aid given is
in services.aid, the follow-up a completed referral proposes in services.proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import Case, CaseEvent, FollowUp, Office, Referral, User
from ..models._base import utcnow
from ..models.followups import FOLLOWUP_KINDS
from . import access, audit
from .errors import Refused
from .i18n import lazy as _l
from .proposals import proposal_for, referral_followups
from .timeutil import office_today
from .workdays import add_working_days
from .workflow import set_workflow_fields

OUTCOMES = ("done", "not_reached", "cancelled")
MAX_AHEAD_DAYS = 366  # a follow-up is planned at most a year ahead
MAX_WORKING_DAYS = 250


TransitionRefused = Refused  # the step is not allowed now, or not for this user


def due_from(today: date, *, due_date: date | None = None, working_days: int | None = None):
    """A due date typed as a date, or as a number of working days from today."""
    if working_days is not None:
        return add_working_days(today, working_days)
    return due_date


# --- who may do what ----------------------------------------------------------------------------


can_schedule = access.can_schedule_followup
can_record = access.can_record_outcome


def assignee_candidates(case: Case) -> list[User]:
    """Who may carry out a follow-up of this case: active staff of the office who may see it
    (its managers, its assigned worker, the worker who registered it)."""
    users = db.session.scalars(
        select(User)
        .where(
            User.office_id == case.office_id,
            User.active.is_(True),
            User.role.in_(("worker", "manager")),
        )
        .order_by(User.role.desc(), User.full_name)  # workers first
    )
    return [u for u in users if access.can_view_case(u, case)]


# --- recording ----------------------------------------------------------------------------------


def _event(case_id: int, user: User, kind: str, body: str = "", **data) -> None:
    db.session.add(
        CaseEvent(case_id=case_id, kind=kind, actor_id=user.id, body=body.strip(), data=data)
    )


def _audit(action: str, user: User, ip: str, followup: FollowUp, **details) -> None:
    audit.record(
        action,
        user=user,
        ip=ip,
        object_type="follow_up",
        object_id=followup.id,
        case_id=followup.case_id,
        details=details or None,
    )


def _check_schedule(case: Case, user: User, kind: str, due_date, assigned_to: User, today: date):
    if kind not in FOLLOWUP_KINDS:
        raise TransitionRefused(str(_l("Jenis tindak lanjut tidak dikenal.")))
    if not can_schedule(user, case):
        raise TransitionRefused(
            str(_l("Tindak lanjut hanya dapat dijadwalkan untuk kasus aktif yang Anda tangani."))
        )
    if not access.can_carry_out(assigned_to, case):
        raise TransitionRefused(str(_l("Petugas ini tidak menangani kasus ini.")))
    if due_date is None or due_date > today + timedelta(days=MAX_AHEAD_DAYS):
        raise TransitionRefused(str(_l("Tanggal jatuh tempo tidak sah.")))


def schedule(
    case: Case,
    user: User,
    *,
    kind: str,
    due_date: date,
    assigned_to: User,
    purpose: str,
    referral: Referral | None = None,
    previous: FollowUp | None = None,
    ip: str = "",
    today: date | None = None,
) -> FollowUp:
    today = today or office_today(user.office)
    _check_schedule(case, user, kind, due_date, assigned_to, today)
    followup = FollowUp(
        office_id=case.office_id,
        case_id=case.id,
        kind=kind,
        due_date=due_date,
        assigned_to_id=assigned_to.id,
        purpose=purpose.strip(),
        referral_id=referral.id if referral else None,
        previous_id=previous.id if previous else None,
        created_by_id=user.id,
    )
    db.session.add(followup)
    db.session.flush()
    _event(
        case.id,
        user,
        "followup_scheduled",
        followup.purpose,
        followup_id=followup.id,
        followup_kind=kind,
        due_date=due_date.isoformat(),
        assigned_to=assigned_to.full_name,
        referral_id=followup.referral_id,
    )
    _audit(
        "followup.schedule",
        user,
        ip,
        followup,
        due_date=due_date.isoformat(),
        assigned_to=assigned_to.id,
        referral_id=followup.referral_id,
    )
    set_workflow_fields(case, updated_at=utcnow())
    return followup


@dataclass
class Outcome:
    status: str  # done, not_reached, cancelled
    outcome_date: date | None = None
    findings: str = ""
    next_step: str = ""
    reason: str = ""


@dataclass
class NextFollowUp:
    kind: str
    due_date: date
    assigned_to: User
    purpose: str = ""


def _check_may_record(followup: FollowUp, user: User, outcome: Outcome, version) -> None:
    if outcome.status not in OUTCOMES:
        raise TransitionRefused(str(_l("Pilih hasil tindak lanjut.")))
    if not followup.is_open:
        raise TransitionRefused(str(_l("Hasil tindak lanjut ini sudah dicatat.")))
    if not can_record(user, followup):
        raise TransitionRefused(str(_l("Anda tidak dapat mencatat hasil tindak lanjut ini.")))
    if version is not None and version != followup.version_id:
        raise TransitionRefused(
            str(_l("Tindak lanjut ini sudah diubah orang lain sejak formulir dibuka."))
        )


def _check_outcome(outcome: Outcome, next_followup, today: date) -> None:
    """A done follow-up needs its date and findings, any other a reason; no date ahead of
    today; only a follow-up that took place (or was tried) schedules the next."""
    if outcome.status == "done":
        if outcome.outcome_date is None or not outcome.findings.strip():
            raise TransitionRefused(str(_l("Isi tanggal dan hasil kunjungan.")))
    elif not outcome.reason.strip():
        raise TransitionRefused(str(_l("Alasan wajib diisi.")))
    if outcome.outcome_date and outcome.outcome_date > today:
        raise TransitionRefused(str(_l("Tanggal tidak boleh di masa depan.")))
    if next_followup is not None and outcome.status == "cancelled":
        raise TransitionRefused(
            str(_l("Tindak lanjut berikutnya dijadwalkan dari hasil yang terlaksana."))
        )


def _close(followup: FollowUp, user: User, outcome: Outcome, today: date) -> None:
    done = outcome.status == "done"
    followup.status = outcome.status
    followup.outcome_date = outcome.outcome_date or (
        today if outcome.status == "not_reached" else None
    )
    followup.findings = outcome.findings.strip() if done else ""
    followup.next_step = outcome.next_step.strip() if done else ""
    followup.reason = "" if done else outcome.reason.strip()
    followup.closed_by_id = user.id
    followup.closed_at = utcnow()
    try:
        db.session.flush()  # version check: a second outcome of the same follow-up fails here
    except StaleDataError:
        raise TransitionRefused(str(_l("Hasil tindak lanjut ini sudah dicatat."))) from None


def _log_outcome(followup: FollowUp, user: User, status: str, ip: str) -> None:
    body = followup.findings if status == "done" else followup.reason
    data = {"followup_id": followup.id, "followup_kind": followup.kind}
    if followup.outcome_date:
        data["outcome_date"] = followup.outcome_date.isoformat()
    if followup.next_step:
        data["next_step"] = followup.next_step
    _event(followup.case_id, user, f"followup_{status}", body, **data)
    _audit(f"followup.{status}", user, ip, followup)


def record_outcome(
    followup: FollowUp,
    user: User,
    outcome: Outcome,
    *,
    version: int | None = None,
    next_followup: NextFollowUp | None = None,
    ip: str = "",
    today: date | None = None,
) -> FollowUp | None:
    """Close a follow-up with its outcome; a done (or not reached) one may schedule the next.
    Returns the next follow-up, if one was scheduled."""
    _check_may_record(followup, user, outcome, version)
    today = today or office_today(user.office)
    _check_outcome(outcome, next_followup, today)
    _close(followup, user, outcome, today)
    _log_outcome(followup, user, outcome.status, ip)
    if next_followup is None:
        return None
    return schedule(
        followup.case,
        user,
        kind=next_followup.kind,
        due_date=next_followup.due_date,
        assigned_to=next_followup.assigned_to,
        purpose=next_followup.purpose or followup.next_step,
        previous=followup,
        ip=ip,
        today=today,
    )


def open_followups(case: Case) -> list[FollowUp]:
    return list(
        db.session.scalars(
            select(FollowUp)
            .where(FollowUp.case_id == case.id, FollowUp.status == "open")
            .order_by(FollowUp.due_date, FollowUp.id)
        )
    )


def cancel_open(case: Case, user: User, reason: str, ip: str = "") -> int:
    """Cancel every open follow-up of a case with one reason (the closure step)."""
    if not reason.strip():
        raise TransitionRefused(str(_l("Alasan pembatalan wajib diisi.")))
    items = open_followups(case)
    for followup in items:
        followup.status = "cancelled"
        followup.reason = reason.strip()
        followup.closed_by_id = user.id
        followup.closed_at = utcnow()
        db.session.flush()
        _event(
            case.id,
            user,
            "followup_cancelled",
            reason,
            followup_id=followup.id,
            followup_kind=followup.kind,
        )
        _audit("followup.cancelled", user, ip, followup)
    return len(items)


def hand_over_to(case: Case, previous: User | None, worker: User, actor: User, ip: str = ""):
    """When a case gets another worker, the open follow-ups of a worker who can no longer see
    the case go to the new worker (nobody is left with a task they cannot open)."""
    if previous is None:
        return
    for followup in open_followups(case):
        if followup.assigned_to_id == previous.id and not access.can_view_case(previous, case):
            followup.assigned_to_id = worker.id
            db.session.flush()
            _event(
                case.id,
                actor,
                "followup_reassigned",
                "",
                followup_id=followup.id,
                followup_kind=followup.kind,
                assigned_to=worker.full_name,
                previous=previous.full_name,
            )
            _audit("followup.reassign", actor, ip, followup, previous=previous.id, to=worker.id)


def case_followups(case: Case) -> list[FollowUp]:
    """Open ones first (earliest due), then the rest (latest first)."""
    items = list(
        db.session.scalars(
            select(FollowUp)
            .where(FollowUp.case_id == case.id)
            .options(joinedload(FollowUp.assigned_to))
            .order_by(FollowUp.due_date, FollowUp.id)
        )
    )
    open_items = [f for f in items if f.is_open]
    closed = sorted(
        (f for f in items if not f.is_open),
        key=lambda f: (f.outcome_date or f.due_date, f.id),
        reverse=True,
    )
    return open_items + closed


# --- the follow-up a completed referral proposes (services.proposals) -------------------------


def schedule_proposed(
    referral: Referral, user: User, office: Office, ip: str = "", today: date | None = None
) -> FollowUp:
    today = today or office_today(office)
    case = referral.case
    proposal = proposal_for(referral, office, referral_followups(referral), today)
    if proposal is None:
        raise TransitionRefused(
            str(_l("Tidak ada tindak lanjut yang diusulkan untuk rujukan ini."))
        )
    assignee = case.assigned_to if case.assigned_to and case.assigned_to.active else user
    return schedule(
        case,
        user,
        kind=proposal.kind,
        due_date=proposal.due_date,
        assigned_to=assignee,
        purpose=proposal.purpose,
        referral=referral,
        ip=ip,
        today=today,
    )
