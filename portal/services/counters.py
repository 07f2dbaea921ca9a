"""Gapless serial numbers per office, register and year, safe under concurrency.

One row per (office, register, year) is incremented with a single UPDATE ... RETURNING inside the
caller's transaction: PostgreSQL holds the row lock until commit, SQLite holds the database write
lock, so two transactions can never get the same value, and a rolled-back transaction gives its
value back (no gap)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import Counter


def next_value(office_id: int, name: str, year: int) -> int:
    session = db.session
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(Counter)
        .values(office_id=office_id, name=name, year=year, value=0)
        .on_conflict_do_nothing(index_elements=["office_id", "name", "year"])
    )
    return session.execute(
        update(Counter)
        .where(Counter.office_id == office_id, Counter.name == name, Counter.year == year)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    ).scalar_one()
