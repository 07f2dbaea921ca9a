from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from ._base import utcnow
from .users import User


class AuditLog(db.Model):
    """Append-only record of processing (UU PDP Pasal 31): who viewed, changed, printed, exported what."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_case_at", "case_id", "at"),
        Index("ix_audit_log_office_at", "office_id", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    ip: Mapped[str] = mapped_column(String(45), default="")
    details: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()


class AuditLogImmutable(Exception):
    pass


# The one sanctioned exception: anonymising a case past its retention period (UU PDP) removes
# the names that entries' `details` carry (services.audit.scrub_details sets this flag for one
# UPDATE of `details` only). Nothing else may change or delete an entry.
SCRUB_FLAG = "audit_scrub_for_anonymisation"


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogImmutable("audit log entries are never changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _audit_no_bulk_changes(state):
    """UPDATE or DELETE statements on the audit log through the session are refused too, but
    for the anonymisation's scrub of `details` (SCRUB_FLAG)."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) != AuditLog.__tablename__:
        return
    scrub = state.session.info.get(SCRUB_FLAG) and state.is_update
    if not scrub or _changed_columns(state) != {"details"}:
        raise AuditLogImmutable("audit log entries are never changed or deleted")


def _changed_columns(state) -> set[str]:
    """The columns an UPDATE sets: from .values(...), or from bulk parameters by primary key."""
    values = getattr(state.statement, "_values", None)
    if values:
        return {getattr(column, "key", str(column)) for column in values}
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    return {name for row in rows for name in row} - {"id"}
