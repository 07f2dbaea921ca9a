from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow
from .users import User

CLOSURE_REASONS = (
    "returned_family",
    "returned_origin",
    "placed",
    "recovered",
    "referred_agency",
    "died",
    "lost_contact",
    "other",
)
# requested -> approved | returned; closed (no approval needed); approved | closed -> reopened
CLOSURE_STATUSES = ("requested", "approved", "returned", "closed", "reopened")


class CaseClosure(db.Model):
    """One closure of a case: requested (or closed at once), decided, perhaps reopened later."""

    __tablename__ = "case_closure"
    __table_args__ = (
        Index("ix_case_closure_office_status_requested", "office_id", "status", "requested_at"),
        Index(  # the approval desk's order
            "ix_case_closure_desk", "office_id", "status", "urgency_rank", "requested_at", "id"
        ),
        Index("ix_case_closure_case", "case_id", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    reason: Mapped[str] = mapped_column(String(24))
    closed_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="requested")
    # the case's urgency as the approval desk orders it (models.cases.urgency_rank), kept in step
    urgency_rank: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="2")
    previous_status: Mapped[str] = mapped_column(String(16), default="in_progress")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reopened_at: Mapped[datetime | None]
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    case: Mapped[Case] = relationship()  # noqa: F821
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    reopened_by: Mapped[User | None] = relationship(foreign_keys=[reopened_by_id])
