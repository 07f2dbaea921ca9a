"""What the laporan penanganan kasus says: the assessment, the referrals with their letters, the
aid given, the follow-ups and their outcomes, the closure, and who signs it. One view model,
built for the user who prints it: health data (observations, diagnosis) only when that user may
see them (services.access.may_see_sensitive decides, not this module)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Aid, Case, Letter, Office, Referral, User
from . import access, audit, labels, letter_text
from .letters import render_document


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


def print_case_report(case: Case, user: User, *, today: date, ip: str = "") -> bytes:
    """The case report as printed now; the print is in the case's audit trail (committed first,
    in a short transaction of its own)."""
    from .cases import timeline

    audit.record_view(user, case, "case.print", ip=ip, document="laporan_kasus")
    issued = db.session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id))
    return render_case_report(
        case, user, events=list(reversed(timeline(case))), letters=list(issued), today=today
    )


def render_case_report(case: Case, user: User, *, events, letters, today: date) -> bytes:
    """Laporan penanganan kasus: any time, not numbered, marked internal; not archived."""
    office = db.session.get(Office, case.office_id)
    values = context(case, user) | {
        "letter": None,
        "case": case,
        "person": case.person,
        "found_when": letter_text.found_when(case.person, office),
        "photo_uri": letter_text.photo_uri(case.person),
        "events": events,
        "letters": letters,
        "printed_on": today,
        "printed_by": user,
        "status_label": str(labels.STATUSES.get(case.status, case.status)),
        "channel_label": str(labels.CHANNELS.get(case.channel, case.channel)),
        "event_labels": {k: str(v) for k, v in labels.EVENTS.items()},
        "letter_labels": {k: str(v) for k, v in labels.LETTER_KINDS.items()},
    }
    return render_document("letters/laporan_kasus.html", values, office)
