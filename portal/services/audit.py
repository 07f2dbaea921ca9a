"""The audit log: every view, change, print and export of a case (UU PDP Pasal 31)."""

from __future__ import annotations

from ..extensions import db
from ..models import AuditLog


def record(
    action: str,
    *,
    user=None,
    ip: str = "",
    office_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    case_id: int | None = None,
    details: dict | None = None,
) -> AuditLog:
    """Add an entry to the session; it is committed with the change it describes."""
    entry = AuditLog(
        user_id=getattr(user, "id", None),
        office_id=office_id if office_id is not None else getattr(user, "office_id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        ip=(ip or "")[:45],
        details=details,
    )
    db.session.add(entry)
    return entry
