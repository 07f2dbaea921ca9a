"""Monthly and day tallies (models.CaseTally, CaseDayTally), kept as cases change instead of counted from every case
on every page. What a case contributes, and reading the tallies, is services.tally_counts.

The ORM's flush is watched: before it, the contributions of every case whose counted fields,
referrals, closures or aid are about to change are read from the database; after it, read
again, dated by the office's day; the difference waits in the session and is written, in key
order (so two transactions never wait on each other's rows in opposite orders), just before the
transaction commits: to the day tallies as it is, and added up by month to the monthly ones, in
the same transaction.
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
from ..models import Aid, Case, CaseClosure, CaseDayTally, CaseTally, Office, Referral
from .tally_counts import (
    CASE_FIELDS,
    KEY_COLUMNS,
    Tally,
    _merge,
    by_month,
    compute,
    contributions,
    day_of,
)
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
    Aid: ("case_id", "kind", "given_on", "amount", "quantity", "unit"),
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
    before = contributions(session, ids, day_of)
    yield
    _merge(_merge(_pending(session), contributions(session, ids, day_of)), before, -1)


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
    session.info["tally_flush"] = (ids, new_objects, contributions(session, ids, day_of))


def _after_flush(session: Session, flush_context) -> None:
    flushing = session.info.pop("tally_flush", None)
    if flushing is None:
        return
    ids, new_objects, before = flushing
    for obj in new_objects:
        ids |= _case_ids_of(obj)
    _merge(_merge(_pending(session), contributions(session, ids, day_of)), before, -1)


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


DAY_COLUMNS = tuple("day" if c == "month" else c for c in KEY_COLUMNS)
TABLES = ((CaseTally, KEY_COLUMNS), (CaseDayTally, DAY_COLUMNS))


def _upsert(session: Session, model, columns):
    """INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(model)
    return statement.on_conflict_do_update(
        index_elements=list(columns),
        set_={
            "n": model.n + statement.excluded.n,
            "amount": model.amount + statement.excluded.amount,
        },
    )


def _rows(tally: Tally, columns=KEY_COLUMNS) -> list[dict]:
    return [
        dict(zip(columns, item, strict=True), n=n, amount=amount)
        for item, (n, amount) in sorted(tally.items())
        if n or amount
    ]


def _add(session: Session, days: Tally, months: Tally) -> None:
    """Add day-dated counts to the day tallies and month-dated ones to the monthly tallies."""
    for (model, columns), tally in zip(TABLES, (months, days), strict=True):
        rows = _rows(tally, columns)
        for start in range(0, len(rows), 1000):
            session.execute(_upsert(session, model, columns), rows[start : start + 1000])


def apply(session: Session, difference: Tally) -> None:
    """Add a difference (dated by day) to the stored tallies, by day and by month, of the
    offices whose tallies are built."""
    offices = {item[0] for item in difference}
    kept = set(
        session.scalars(
            select(Office.id).where(Office.id.in_(offices), Office.tallied_at.is_not(None))
        )
    )
    days = {k: v for k, v in difference.items() if k[0] in kept}
    _add(session, days, by_month(days))


# --- checking and rebuilding them --------------------------------------------------------------


def stored(office_id: int, model=CaseTally) -> Tally:
    """An office's stored tallies (model CaseDayTally: by day)."""
    columns = dict(TABLES)[model]
    return {
        tuple(getattr(t, c) for c in columns): [t.n, t.amount]
        for t in db.session.scalars(select(model).where(model.office_id == office_id))
        if t.n or t.amount
    }


def differences(office_id: int) -> dict[tuple, tuple]:
    """Where the stored tallies and a fresh count disagree: {(table, *key): (stored, counted)}."""
    days: Tally = {}
    for part in compute(office_id, bucket=day_of):
        _merge(days, part)
    out = {}
    for (model, _columns), fresh in zip(TABLES, (by_month(days), days), strict=True):
        counted = {k: v for k, v in fresh.items() if v[0] or v[1]}
        kept = stored(office_id, model)
        out |= {
            (model.__tablename__, *item): (
                tuple(kept.get(item, (0, 0))),
                tuple(counted.get(item, (0, 0))),
            )
            for item in set(counted) | set(kept)
            if kept.get(item) != counted.get(item)
        }
    return out


def rebuild(office_id: int) -> int:
    """Recount an office's tallies, by month and by day, from its cases; returns the number of
    monthly rows. On PostgreSQL the case tables are locked against writes meanwhile (SQLite's
    write lock already is). The day rows are written range by range (their days are spread
    over the ranges of case ids: added up by upsert); the months are held until the end."""
    session = db.session()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text('LOCK TABLE "case", referral, case_closure, aid IN SHARE MODE'))
    for model, _columns in TABLES:
        session.execute(delete(model).where(model.office_id == office_id))
    months: Tally = {}
    for days in compute(office_id, bucket=day_of):
        by_month(days, months)
        _add(session, days, {})
    rows = _rows(months)
    for start in range(0, len(rows), 1000):
        session.execute(CaseTally.__table__.insert(), rows[start : start + 1000])
    if session.get_bind().dialect.name == "postgresql":
        # the planner sees the new rows now (autovacuum would, later): without statistics it
        # read a month's day tallies by (office, user) alone, 300 ms instead of 30
        session.execute(text("ANALYZE case_tally, case_day_tally"))
    # Core, not the ORM: the office's version (its settings form) stays as it is
    session.execute(update(Office).where(Office.id == office_id).values(tallied_at=utcnow()))
    pending = session.info.get("tally_pending") or {}
    for item in [i for i in pending if i[0] == office_id]:
        del pending[item]  # this office's changes so far are in the count above
    return len(rows)


def ready(office: Office) -> bool:
    return office.tallied_at is not None
