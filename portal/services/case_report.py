"""What the laporan penanganan kasus says: the assessment, the referrals with their letters, the
aid given, the follow-ups and their outcomes, the closure, and who signs it. One view model,
built for the user who prints it: health data (observations, diagnosis) only when that user may
see them (services.access.may_see_sensitive decides, not this module)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Aid, Case, Referral, User
from . import access, labels


def _labels(mapping: dict) -> dict:
    return {key: str(value) for key, value in mapping.items()}


def referrals_of(case: Case) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.case_id == case.id, Referral.status != "draft")
            .options(selectinload(Referral.letters))
            .order_by(Referral.created_at, Referral.id)
        )
    )


def aid_of(case: Case) -> list[Aid]:
    return list(
        db.session.scalars(select(Aid).where(Aid.case_id == case.id).order_by(Aid.given_on, Aid.id))
    )


def acknowledger(case: Case, closure, user: User) -> User | None:
    """The manager who knows the report ("Mengetahui"): the one who approved the closure, else
    the manager printing it; None leaves the name to be written by hand."""
    if closure is not None and closure.status == "closed" and closure.decided_by is not None:
        return closure.decided_by
    return user if user.role == "manager" else None


def context(case: Case, user: User) -> dict:
    from . import closure as closure_service
    from . import followups

    closure = closure_service.current(case)
    if closure is not None and closure.status == "reopened":
        closure = None
    aid = aid_of(case)
    return {
        "sensitive": access.may_see_sensitive(user, case),
        "referrals": referrals_of(case),
        "aid": aid,
        "aid_total": sum(item.amount or 0 for item in aid),
        "followups": sorted(followups.case_followups(case), key=lambda f: (f.due_date, f.id)),
        "closure": closure,
        "worker": case.assigned_to or case.created_by,
        "acknowledger": acknowledger(case, closure, user),
        "referral_labels": _labels(labels.REFERRAL_KINDS),
        "referral_status_labels": _labels(labels.REFERRAL_STATUSES),
        "aid_labels": _labels(labels.AID_KINDS),
        "followup_labels": _labels(labels.FOLLOWUP_KINDS),
        "followup_status_labels": _labels(labels.FOLLOWUP_STATUSES),
        "closure_labels": _labels(labels.CLOSURE_REASONS),
        "closure_status_labels": _labels(labels.CLOSURE_STATUSES),
    }
