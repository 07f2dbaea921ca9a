"""The audit log: every view, change, print and export of a case (UU PDP Pasal 31)."""

from __future__ import annotations

from sqlalchemy import insert, select

from ..extensions import db
from ..models import AuditLog, Case, Person
from . import labels


def _values(  # the fields of an entry: who, from where, about what
    action: str,
    *,
    user=None,
    ip: str = "",
    office_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    case_id: int | None = None,
    details: dict | None = None,
) -> dict:
    return {
        "user_id": getattr(user, "id", None),
        "office_id": office_id if office_id is not None else getattr(user, "office_id", None),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "case_id": case_id,
        "ip": (ip or "")[:45],
        "details": details,
    }


def record_now(action: str, **fields) -> None:
    """Write an entry at once, in a short transaction of its own on its own connection: what a
    page that only reads records (someone saw a case). The page's own reading is not touched,
    so on SQLite it never waits for, or holds, the write lock while it reads."""
    values = _values(action, **fields)
    with db.engine.begin() as connection:
        connection.execute(insert(AuditLog).values(**values))


def record_now_for_cases(action: str, case_ids: list[int], **fields) -> None:
    """As record_now, one entry for each case (a page that shows several: each case's audit
    trail then says it was seen), in one short transaction."""
    rows = [_values(action, object_type="case", object_id=i, case_id=i, **fields) for i in case_ids]
    if rows:
        with db.engine.begin() as connection:
            connection.execute(insert(AuditLog), rows)


def record(action: str, **fields) -> AuditLog:
    """Add an entry to the session; it is committed with the change it describes."""
    entry = AuditLog(**_values(action, **fields))
    db.session.add(entry)
    return entry


def record_view(user, case, action: str = "case.view", ip: str = "", **details) -> None:
    """Viewing a case (its file, a referral, its audit trail, a print) is processing too (UU PDP
    Pasal 31): the entry is committed at once, in a short transaction of its own."""
    record_now(
        action,
        user=user,
        ip=ip,
        object_type="case",
        object_id=case.id,
        case_id=case.id,
        details=details or None,
    )


def describe(entries) -> dict[int, str]:
    """What each entry is about, as a person reads it (never a database id): "kasus KS-2026-
    000180", the person's name or "Tanpa identitas (KS-...)", "rujukan · kasus KS-...".
    For a page of entries: two queries."""
    case_ids = {e.case_id for e in entries if e.case_id}
    case_ids |= {e.object_id for e in entries if e.object_type == "case" and e.object_id}
    person_ids = {e.object_id for e in entries if e.object_type == "person" and e.object_id}
    rows = db.session.execute(select(Case.id, Case.number).where(Case.id.in_(case_ids)))
    numbers = {case_id: number for case_id, number in rows}
    people = db.session.scalars(select(Person).where(Person.id.in_(person_ids)))
    names = {p.id: p.display_name for p in people}
    described = {}
    for entry in entries:
        kind = str(labels.AUDIT_OBJECTS.get(entry.object_type, entry.object_type or ""))
        if entry.object_type == "person" and entry.object_id in names:
            parts = [f"{kind} {names[entry.object_id]}"]
        elif entry.object_type == "case":
            parts = []
        else:
            parts = [kind] if kind else []
        case_id = entry.object_id if entry.object_type == "case" else entry.case_id
        if case_id in numbers:
            parts.append(f"{labels.AUDIT_OBJECTS['case']} {numbers[case_id]}")
        described[entry.id] = " · ".join(parts)
    return described


# --- the one sanctioned change: anonymisation (UU PDP retention) --------------------------------

# Strings kept when an entry's details are scrubbed: codes and numbers that name nobody.
SAFE_DETAIL_KEYS = frozenset({"kind", "status", "method", "fmt", "document", "number", "sha256"})
REMOVED = "[anonim]"


def redacted(value, key: str = "", keep=None):
    """`value` with every text removed but the codes under SAFE_DETAIL_KEYS (and those
    `keep(key, text)` accepts): numbers, dates' absence, booleans and the shape (field names)
    stay, so an entry still says what was done."""
    if isinstance(value, dict):
        return {k: redacted(v, str(k), keep) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redacted(v, key, keep) for v in value]
    if isinstance(value, str) and value and key not in SAFE_DETAIL_KEYS:
        return value if keep is not None and keep(key, value) else REMOVED
    return value


def scrub_details(entry_ids) -> int:
    """Remove the names and free text from these entries' `details` (services.retention only:
    the audit log refuses every other change, models.audit.SCRUB_FLAG). Who, when, what and
    about which record stay. Returns the number of entries scrubbed."""
    from sqlalchemy import select, update

    from ..models.audit import SCRUB_FLAG

    rows = db.session.execute(
        select(AuditLog.id, AuditLog.details).where(
            AuditLog.id.in_(entry_ids), AuditLog.details.is_not(None)
        )
    ).all()
    changed = [
        {"id": i, "details": redacted(details)}
        for i, details in rows
        if redacted(details) != details
    ]
    if not changed:
        return 0
    db.session.info[SCRUB_FLAG] = True
    try:
        db.session.execute(update(AuditLog), changed)
    finally:
        db.session.info.pop(SCRUB_FLAG, None)
    return len(changed)
