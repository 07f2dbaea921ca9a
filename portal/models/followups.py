from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow
from .users import User

FOLLOWUP_KINDS = ("home_visit", "phone_call", "facility_visit", "dinsos_coordination")
FOLLOWUP_STATUSES = ("open", "done", "not_reached", "cancelled")
AID_KINDS = (
    "food",
    "clothing",
    "shelter_kit",
    "psychosocial",
    "transport_ticket",
    "pocket_money",
    "medical_cost",
    "other",
)


class FollowUp(db.Model):
    """A follow-up planned on a case (visit, call, coordination) and, later, its outcome."""

    __tablename__ = "follow_up"
    __table_args__ = (
        # /tasks of a manager (the office's open follow-ups by due date) and of a worker (theirs)
        Index("ix_follow_up_office_status_due", "office_id", "status", "due_date"),
        Index("ix_follow_up_assigned_status_due", "assigned_to_id", "status", "due_date"),
        Index("ix_follow_up_case_due", "case_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    kind: Mapped[str] = mapped_column(String(24))
    due_date: Mapped[date]
    assigned_to_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    # The completed referral that proposed this follow-up (one click from its proposal).
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), index=True)
    # The follow-up whose outcome scheduled this one ("next step" in the same form).
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("follow_up.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Outcome: done (date, what was found, next step), not reached (reason), cancelled (reason).
    outcome_date: Mapped[date | None]
    findings: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    case: Mapped[Case] = relationship()  # noqa: F821
    assigned_to: Mapped[User] = relationship(foreign_keys=[assigned_to_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Aid(db.Model):
    """Aid or a service given to the person of a case (bantuan): what, how much, when, by whom."""

    __tablename__ = "aid"
    __table_args__ = (
        Index("ix_aid_case_given", "case_id", "given_on"),
        Index("ix_aid_office_given", "office_id", "given_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    kind: Mapped[str] = mapped_column(String(24))
    quantity: Mapped[int | None]
    unit: Mapped[str] = mapped_column(String(30), default="")
    amount: Mapped[int | None] = mapped_column(BigInteger)  # Rupiah
    given_on: Mapped[date]
    given_by: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User] = relationship()
