"""The follow-up a completed referral proposes: its kind, purpose and due date (the office's
number of days after the handover, moved to a working day), until one has been scheduled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import FollowUp, Office, Referral
from . import referral_kinds
from .i18n import lazy as _l
from .workdays import working_deadline

# Per kind (services/referral_kinds.py): the follow-up's kind, its purpose, the office's days.
PROPOSED_KIND = {code: kind.followup_kind for code, kind in referral_kinds.KINDS.items()}
PROPOSED_PURPOSE = {code: kind.followup_purpose for code, kind in referral_kinds.KINDS.items()}


def proposal_days(office: Office, referral_kind: str) -> int:
    kind = referral_kinds.KINDS.get(referral_kind)
    if kind is None or not kind.followup_kind:
        return 0
    return int(getattr(office, kind.followup_days_setting, 0) or 0)


@dataclass
class Proposal:
    referral: Referral
    kind: str
    due_date: date
    purpose: str
    days: int


def proposal_for(
    referral: Referral, office: Office, followups: list[FollowUp], today: date
) -> Proposal | None:
    """The usual next follow-up after a completed referral, until one has been scheduled from
    it: the office's number of days after the handover, moved to a working day."""
    days = proposal_days(office, referral.kind)
    if (
        referral.status != "completed"
        or days <= 0
        or not referral.case.is_active
        or any(f.referral_id == referral.id for f in followups)
    ):
        return None
    base = referral.handover_date or today
    due = working_deadline(base + timedelta(days=days))
    if due < today:
        due = working_deadline(today)
    receiver = referral.receiver_label or str(_l("penerima"))
    purpose = str(PROPOSED_PURPOSE[referral.kind] % {"receiver": receiver})
    return Proposal(referral, PROPOSED_KIND[referral.kind], due, purpose, days)


def referral_followups(referral: Referral) -> list[FollowUp]:
    return list(db.session.scalars(select(FollowUp).where(FollowUp.referral_id == referral.id)))
