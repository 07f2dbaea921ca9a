"""Monthly tallies (models.CaseTally), kept as cases change instead of counted from every case
on every page. What a case contributes, and reading the tallies, is services.tally_counts.

The ORM's flush is watched: before it, the contributions of every case whose counted fields,
referrals, closures or aid are about to change are read from the database; after it, read
again; the difference waits in the session and is written, in key order (so two transactions
never wait on each other's rows in opposite orders), just before the transaction commits.
Writes that bypass the ORM (services.workflow.set_workflow_fields, a local case type's new PPKS
code) wrap themselves in `track()`. A rollback drops the difference with the rest.

An office whose tallies were never built (Office.tallied_at is None: upgraded from before
migration 0006) is not kept; its reports count the cases themselves until
`flask rebuild-tallies` has run."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from sqlalchemy import delete, event, inspect, select, text, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Aid, Case, CaseClosure, CaseTally, Office, Referral
from .tally_counts import CASE_FIELDS, KEY_COLUMNS, Tally, _merge, compute, contributions
from .timeutil import utcnow

WATCHED = {
    Case: CASE_FIELDS,
    Referral: (
        "case_id",
        "kind",
        "status",
        "decided_at",
        "handover_date",
        "destination_regency_code",
    ),
    CaseClosure: ("case_id", "status", "reason"),
    Aid: ("case_id", "kind", "given_on", "amount"),
}


# --- keeping them ------------------------------------------------------------------------------


def _pending(session: Session) -> Tally:
    return session.info.setdefault("tally_pending", {})


@contextmanager
def track(case_ids: Iterable[int]):
    """Around a write that bypasses the ORM's flush: counts the difference it makes."""
    ids = [i for i in case_ids if i is not None]
    session = db.session()
    session.flush()  # changes the ORM holds are counted by the flush, not twice here
    before = contributions(session, ids)
    yield
    _merge(_merge(_pending(session), contributions(session, ids)), before, -1)


def _changed(obj) -> bool:
    fields = WATCHED[type(obj)]
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _case_ids_of(obj) -> set[int]:
    if isinstance(obj, Case):
        return {obj.id} if obj.id is not None else set()
    ids = {obj.case_id} if obj.case_id is not None else set()
    history = inspect(obj).attrs.case_id.history  # a child moved to another case
    ids.update(i for i in history.deleted if i is not None)
    case = obj.__dict__.get("case")  # set by relationship only (read without loading it)
    if case is not None and case.id is not None:
        ids.add(case.id)
    return ids


def _touched_case_ids(session: Session) -> tuple[set[int], list]:
    """The cases whose counts this flush may change (new cases get their ids in the flush:
    they are returned among the new objects, looked at after it)."""
    watched = tuple(WATCHED)
    ids: set[int] = set()
    new_objects = [obj for obj in session.new if isinstance(obj, watched)]
    for obj in new_objects:
        if not isinstance(obj, Case):
            ids |= _case_ids_of(obj)
    for obj in session.dirty:
        if isinstance(obj, watched) and _changed(obj):
            ids |= _case_ids_of(obj)
    for obj in session.deleted:
        if isinstance(obj, watched):
            ids |= _case_ids_of(obj)
    return ids, new_objects


def _note_rezoned(session: Session) -> None:
    """An office moved to another time zone: its months move too (rebuilt at commit)."""
    for obj in session.dirty:
        if isinstance(obj, Office) and inspect(obj).attrs.timezone.history.has_changes():
            session.info.setdefault("tally_rezoned", set()).add(obj.id)
            session.info.pop("office_zones", None)


def _before_flush(session: Session, flush_context, instances) -> None:
    ids, new_objects = _touched_case_ids(session)
    _note_rezoned(session)
    if not ids and not new_objects:
        return
    session.info["tally_flush"] = (ids, new_objects, contributions(session, ids))


def _after_flush(session: Session, flush_context) -> None:
    flushing = session.info.pop("tally_flush", None)
    if flushing is None:
        return
    ids, new_objects, before = flushing
    for obj in new_objects:
        ids |= _case_ids_of(obj)
    _merge(_merge(_pending(session), contributions(session, ids)), before, -1)


def _before_commit(session: Session) -> None:
    session.flush()  # the last flush's difference too
    pending = session.info.pop("tally_pending", None)
    if pending:
        apply(session, pending)
    for office_id in sorted(session.info.pop("tally_rezoned", ())):
        if session.get(Office, office_id).tallied_at is not None:
            rebuild(office_id)


def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost: committed (applied already) or not
        session.info.pop("tally_pending", None)
        session.info.pop("tally_flush", None)
        session.info.pop("office_zones", None)
        session.info.pop("tally_rezoned", None)


def install() -> None:
    """Watch every session (called once, from the app factory)."""
    if event.contains(Session, "before_flush", _before_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_transaction_end", _forget)


def _upsert(session: Session):
    """INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(CaseTally)
    return statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={
            "n": CaseTally.n + statement.excluded.n,
            "amount": CaseTally.amount + statement.excluded.amount,
        },
    )


def _rows(tally: Tally) -> list[dict]:
    return [
        dict(zip(KEY_COLUMNS, item, strict=True), n=n, amount=amount)
        for item, (n, amount) in sorted(tally.items())
        if n or amount
    ]


def apply(session: Session, difference: Tally) -> None:
    """Add a difference to the stored tallies of the offices whose tallies are built."""
    offices = {item[0] for item in difference}
    kept = set(
        session.scalars(
            select(Office.id).where(Office.id.in_(offices), Office.tallied_at.is_not(None))
        )
    )
    rows = _rows({k: v for k, v in difference.items() if k[0] in kept})
    for start in range(0, len(rows), 1000):
        session.execute(_upsert(session), rows[start : start + 1000])


# --- checking and rebuilding them --------------------------------------------------------------


def stored(office_id: int) -> Tally:
    return {
        tuple(getattr(t, c) for c in KEY_COLUMNS): [t.n, t.amount]
        for t in db.session.scalars(select(CaseTally).where(CaseTally.office_id == office_id))
        if t.n or t.amount
    }


def differences(office_id: int) -> dict[tuple, tuple]:
    """Where the stored tallies and a fresh count disagree: {key: (stored, counted)}."""
    counted = {k: v for k, v in compute(office_id).items() if v[0] or v[1]}
    kept = stored(office_id)
    return {
        item: (tuple(kept.get(item, (0, 0))), tuple(counted.get(item, (0, 0))))
        for item in set(counted) | set(kept)
        if kept.get(item) != counted.get(item)
    }


def rebuild(office_id: int) -> int:
    """Recount an office's tallies from its cases; returns the number of rows. On PostgreSQL
    the case tables are locked against writes meanwhile (SQLite's write lock already is)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text('LOCK TABLE "case", referral, case_closure, aid IN SHARE MODE'))
    db.session.execute(delete(CaseTally).where(CaseTally.office_id == office_id))
    rows = _rows(compute(office_id))
    for start in range(0, len(rows), 1000):
        db.session.execute(CaseTally.__table__.insert(), rows[start : start + 1000])
    # Core, not the ORM: the office's version (its settings form) stays as it is
    db.session.execute(update(Office).where(Office.id == office_id).values(tallied_at=utcnow()))
    pending = db.session.info.get("tally_pending") or {}
    for item in [i for i in pending if i[0] == office_id]:
        del pending[item]  # this office's changes so far are in the count above
    return len(rows)


def ready(office: Office) -> bool:
    return office.tallied_at is not None
