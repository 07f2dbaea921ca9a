"""Closing a case, with a manager's approval when the office wants it, and reopening it.

active -> closing (requested) -> closed (approved) | active again (returned, with a comment)
active -> closed (the office needs no approval, or a manager closes);  closed -> active (reopen)

Closing is refused while a referral waits for a decision or is approved but not completed, and
while follow-ups are open; the same step may cancel the open follow-ups with a reason."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import Case, CaseClosure, CaseEvent, Office, Referral, User
from ..models._base import utcnow
from ..models.cases import urgency_rank
from ..models.closure import CLOSURE_REASONS
from ..models.followups import FollowUp
from . import access, audit, followups
from .errors import Refused
from .i18n import lazy as _l
from .workflow import set_workflow_fields

PENDING_REFERRAL = ("submitted", "approved")


TransitionRefused = Refused  # the step is not allowed now, or not for this user


def pending_referrals(case: Case) -> list[Referral]:
    """Referrals that block closure: waiting for a decision, or approved and not completed."""
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.case_id == case.id, Referral.status.in_(PENDING_REFERRAL))
            .order_by(Referral.created_at)
        )
    )


def open_followup_count(case: Case) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(FollowUp)
        .where(FollowUp.case_id == case.id, FollowUp.status == "open")
    )


def referral_blockers(case: Case) -> list[str]:
    from . import labels

    messages = []
    for referral in pending_referrals(case):
        kind = labels.REFERRAL_KINDS.get(referral.kind, referral.kind)
        if referral.status == "submitted":
            messages.append(str(_l("%(kind)s masih menunggu keputusan manajer.", kind=kind)))
        else:
            messages.append(
                str(_l("%(kind)s sudah disetujui tetapi serah terimanya belum dicatat.", kind=kind))
            )
    return messages


# who may do what: services.access
can_request = access.can_request_closure
needs_approval = access.closure_needs_approval
can_decide = access.can_decide_closure
can_reopen = access.can_reopen


DECISIONS = ("approve", "return")


def decide(closure: CaseClosure, manager: User, action: str, comment: str, ip: str = "") -> None:
    """A manager's decision on a closure request: "approve" or "return" (for changes)."""
    if action not in DECISIONS:
        raise TransitionRefused(str(_l("Pilih keputusan.")))
    if action == "approve":
        approve(closure, manager, comment, ip=ip)
    else:
        return_for_changes(closure, manager, comment, ip=ip)


def _lock_status(case: Case) -> str:
    """The case's status as committed, with its row locked until the end of the transaction:
    two people closing or reopening the same case at the same moment go one after the other
    (PostgreSQL; SQLite writes one transaction at a time anyway)."""
    return db.session.scalar(select(Case.status).where(Case.id == case.id).with_for_update())


def _flush_decision() -> None:
    try:
        db.session.flush()  # version check: a second decision on the same request fails here
    except StaleDataError:
        raise TransitionRefused(str(_l("Penutupan ini tidak sedang menunggu keputusan."))) from None


def _event(case: Case, user: User, kind: str, body: str = "", **data) -> None:
    db.session.add(
        CaseEvent(case_id=case.id, kind=kind, actor_id=user.id, body=body.strip(), data=data)
    )


def _audit(action: str, user: User, ip: str, closure: CaseClosure, **details) -> None:
    audit.record(
        action,
        user=user,
        ip=ip,
        object_type="case_closure",
        object_id=closure.id,
        case_id=closure.case_id,
        details={"status": closure.status, **details},
    )


def request(
    case: Case,
    user: User,
    *,
    reason: str,
    closed_on: date,
    summary: str,
    cancel_reason: str | None = None,
    ip: str = "",
) -> CaseClosure:
    """Close the case, or ask a manager to. Open follow-ups are cancelled with `cancel_reason`
    when one is given; otherwise they refuse the closure, as pending referrals do."""
    if not can_request(user, case) or _lock_status(case) != case.status:
        raise TransitionRefused(str(_l("Hanya kasus aktif yang Anda tangani yang dapat ditutup.")))
    if reason not in CLOSURE_REASONS:
        raise TransitionRefused(str(_l("Pilih alasan penutupan.")))
    if not summary.strip():
        raise TransitionRefused(str(_l("Ringkasan penanganan wajib diisi.")))
    blockers = referral_blockers(case)
    if blockers:
        raise TransitionRefused(" ".join(blockers))
    if open_followup_count(case):
        if not (cancel_reason or "").strip():
            raise TransitionRefused(
                str(_l("Masih ada tindak lanjut terbuka: catat hasilnya atau batalkan."))
            )
        followups.cancel_open(case, user, cancel_reason, ip=ip)
    office = db.session.get(Office, case.office_id)
    now = utcnow()
    closure = CaseClosure(
        office_id=case.office_id,
        case_id=case.id,
        reason=reason,
        closed_on=closed_on,
        summary=summary.strip(),
        previous_status=case.status,
        requested_by_id=user.id,
        requested_at=now,
        urgency_rank=urgency_rank(case.urgency),  # the desk's order; services.cases keeps it
    )
    data = {"reason": reason, "closed_on": closed_on.isoformat()}
    if needs_approval(office, user):
        closure.status = "requested"
        db.session.add(closure)
        db.session.flush()
        set_workflow_fields(case, status="closing", updated_at=now)
        _event(case, user, "closure_requested", closure.summary, closure_id=closure.id, **data)
        _audit("case.closure_request", user, ip, closure, **data)
    else:
        closure.status = "closed"
        closure.decided_by_id = user.id
        closure.decided_at = now
        db.session.add(closure)
        db.session.flush()
        set_workflow_fields(case, status="closed", closed_at=now, updated_at=now)
        _event(case, user, "case_closed", closure.summary, closure_id=closure.id, **data)
        _audit("case.close", user, ip, closure, **data)
    return closure


def _decide_guard(closure: CaseClosure, manager: User) -> None:
    if not access.manages_office(manager, closure.office_id):
        raise TransitionRefused(str(_l("Hanya manajer kantor ini yang memutuskan penutupan.")))
    if closure.status != "requested":
        raise TransitionRefused(str(_l("Penutupan ini tidak sedang menunggu keputusan.")))
    if closure.requested_by_id == manager.id:
        raise TransitionRefused(
            str(_l("Anda tidak dapat memutuskan penutupan yang Anda ajukan sendiri."))
        )


def approve(closure: CaseClosure, manager: User, comment: str = "", ip: str = "") -> None:
    _decide_guard(closure, manager)
    case = closure.case
    blockers = referral_blockers(case)
    if open_followup_count(case):
        blockers.append(str(_l("Masih ada tindak lanjut terbuka.")))
    if blockers:
        raise TransitionRefused(" ".join(blockers))
    now = utcnow()
    closure.status = "approved"
    closure.decided_by_id = manager.id
    closure.decided_at = now
    closure.decision_comment = comment.strip()
    _flush_decision()
    set_workflow_fields(case, status="closed", closed_at=now, updated_at=now)
    _event(
        case,
        manager,
        "closure_approved",
        comment,
        closure_id=closure.id,
        reason=closure.reason,
        closed_on=closure.closed_on.isoformat(),
    )
    _audit("case.closure_approve", manager, ip, closure)


def return_for_changes(closure: CaseClosure, manager: User, comment: str, ip: str = "") -> None:
    _decide_guard(closure, manager)
    if not comment.strip():
        raise TransitionRefused(str(_l("Tulis mengapa penutupan dikembalikan.")))
    closure.status = "returned"
    closure.decided_by_id = manager.id
    closure.decided_at = utcnow()
    closure.decision_comment = comment.strip()
    _flush_decision()
    case = closure.case
    set_workflow_fields(case, status=closure.previous_status, updated_at=utcnow())
    _event(case, manager, "closure_returned", comment, closure_id=closure.id)
    _audit("case.closure_return", manager, ip, closure)


def reopen(case: Case, user: User, reason: str, ip: str = "") -> CaseClosure:
    if not can_reopen(user, case) or _lock_status(case) != "closed":
        raise TransitionRefused(
            str(_l("Kasus hanya dapat dibuka kembali oleh manajer atau petugas yang ditugaskan."))
        )
    if not reason.strip():
        raise TransitionRefused(str(_l("Alasan membuka kembali wajib diisi.")))
    closure = current(case)
    now = utcnow()
    previous = "in_progress"
    if closure is not None and closure.status in ("approved", "closed"):
        closure.status = "reopened"
        closure.reopened_by_id = user.id
        closure.reopened_at = now
        closure.reopen_reason = reason.strip()
        previous = closure.previous_status
        db.session.flush()
        _audit("case.reopen", user, ip, closure)
    else:  # closed before closures were recorded: still reopened, still audited
        audit.record(
            "case.reopen", user=user, ip=ip, object_type="case", object_id=case.id, case_id=case.id
        )
    if previous not in ("new", "in_progress", "referred"):
        previous = "in_progress"
    set_workflow_fields(case, status=previous, closed_at=None, updated_at=now)
    _event(case, user, "case_reopened", reason, closure_id=closure.id if closure else None)
    return closure


def current(case: Case) -> CaseClosure | None:
    """The latest closure of the case (requested, returned, closed, or reopened)."""
    return db.session.scalars(
        select(CaseClosure)
        .where(CaseClosure.case_id == case.id)
        .options(
            joinedload(CaseClosure.requested_by).lazyload(User.office),  # as cases.load_case
            joinedload(CaseClosure.decided_by).lazyload(User.office),
        )
        .order_by(CaseClosure.id.desc())
        .limit(1)
    ).first()


def waiting_query(manager: User):
    return select(CaseClosure).where(
        CaseClosure.office_id == manager.office_id, CaseClosure.status == "requested"
    )


def waiting_count(manager: User) -> int:
    if not access.is_manager(manager):
        return 0
    return db.session.scalar(waiting_query(manager).with_only_columns(func.count()))
