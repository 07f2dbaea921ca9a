from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import utcnow

# queued -> running -> done | failed; a queued or running batch without progress for a while is
# stale (its process stopped): services.letter_batch offers to run it again.
BATCH_STATUSES = ("queued", "running", "done", "failed")


class LetterBatch(db.Model):
    """A manager's batch print (services.letter_batch): the letters chosen, how far the joining
    has come, and the one PDF when done. Kept for a day, seen only by the manager who made it."""

    __tablename__ = "letter_batch"
    # AUTOINCREMENT on SQLite: a deleted batch's id (its page's URL) is never given to another
    __table_args__ = (
        Index("ix_letter_batch_created_at", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    letter_ids: Mapped[list] = mapped_column(JSON)  # in the register's order
    # Left out when chosen: {"reason": count}; the run adds those it could not print.
    left_out: Mapped[dict] = mapped_column(JSON, default=dict)
    printed_ids: Mapped[list] = mapped_column(JSON, default=list)  # in the PDF, in its order
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    attempt: Mapped[int] = mapped_column(default=1)  # a retry starts a new attempt
    host_url: Mapped[str] = mapped_column(String(200), default="")  # for letters rendered now
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # the last progress
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
