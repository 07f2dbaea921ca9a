"""The tallies read back (models.CaseTally, CaseDayTally): sums over months, over the days of a
month, and the office's counts of the present. What they hold is services.tally_counts."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, null, select, text, union_all

from ..extensions import db
from ..models import CaseDayTally, CaseTally
from .tally_counts import MEASURES, OFFICE_WIDE, STATE_MONTH, month_of


def _rows_of(user_id: int, district: str | None) -> tuple[int, str | None]:
    """Which rows hold a scope's counts: the office's of one kecamatan (user 0), the office's
    over every kecamatan (OFFICE_WIDE: a few rows a month, whatever the office's size) or one
    social worker's."""
    if user_id == 0 and not district:
        return OFFICE_WIDE, None
    return user_id, district


def read_state(
    office_id: int, measure: str, since: date | None = None, *, user_id: int = 0
) -> list[tuple[str, int, str, int]]:
    """A count of the present (STATE_MEASURES) of the office (user_id 0) or of one social
    worker's cases, or (`since`: a first day) a WIDE_ONLY count of the months since then:
    (ppks_code, local_type_id, key, n) rows with anything to count (a row per month)."""
    when = CaseTally.month == STATE_MONTH if since is None else CaseTally.month >= since
    return db.session.execute(
        select(CaseTally.ppks_code, CaseTally.local_type_id, CaseTally.key, CaseTally.n).where(
            CaseTally.office_id == office_id,
            CaseTally.user_id == (user_id or OFFICE_WIDE),
            CaseTally.measure == measure,
            when,
            CaseTally.n != 0,
        )
    ).all()


def read(
    office_id: int,
    first: date,
    last: date,
    district: str | None = None,
    *,
    user_id: int = 0,
    measures=MEASURES,
    by_month: bool = False,
):
    """Sums (measure, ppks_code, local_type_id, key, month or None, n, amount) over the months
    first..last (first days of months, inclusive) of the office (user_id 0: one kecamatan's,
    or the office-wide rows) or of one social worker's own cases (no kecamatan for those)."""
    user_id, district = _rows_of(user_id, district)
    month = CaseTally.month if by_month else null()
    columns = (CaseTally.measure, CaseTally.ppks_code, CaseTally.local_type_id, CaseTally.key)
    query = (
        select(*columns, month, func.sum(CaseTally.n), func.sum(CaseTally.amount))
        .where(
            CaseTally.office_id == office_id,
            CaseTally.user_id == user_id,
            CaseTally.measure.in_(measures),
            CaseTally.month >= first,
            CaseTally.month <= last,
        )
        .group_by(*columns, *((month,) if by_month else ()))
    )
    if district:
        query = query.where(CaseTally.district_code == district)
    return db.session.execute(query)


def read_days(
    office_id: int,
    first: date,
    last: date,
    district: str | None = None,
    *,
    user_id: int = 0,
    measures=MEASURES,
):
    """Sums (measure, ppks_code, local_type_id, key, n, amount) over the days first..last of
    one month, from the day tallies. Of the month's days the fewer are read: 10-28 February
    is February less 1-9 February (one statement, the month's rows minus those days')."""
    user_id, district = _rows_of(user_id, district)
    month = month_of(first)
    end = (month + timedelta(32)).replace(day=1) - timedelta(1)
    columns = ("measure", "ppks_code", "local_type_id", "key")

    def part(model, when, sign: int):
        where = [
            model.office_id == office_id,
            model.user_id == user_id,
            model.measure.in_(measures),
            when,
        ]
        if district:
            where.append(model.district_code == district)
        return select(
            *(getattr(model, c) for c in columns),
            (model.n * sign).label("n"),
            (model.amount * sign).label("amount"),
        ).where(*where)

    inside = (last - first).days + 1
    if first > month or last < end:
        outside = (end - month).days + 1 - inside
        if inside <= outside + 1:
            rows = part(CaseDayTally, CaseDayTally.day.between(first, last), 1)
        else:  # the month less its other days: before `first`, after `last` (two ranges)
            others = [(month, first - timedelta(1)), (last + timedelta(1), end)]
            rows = union_all(
                part(CaseTally, CaseTally.month == month, 1),
                *(
                    part(CaseDayTally, CaseDayTally.day.between(low, high), -1)
                    for low, high in others
                    if low <= high
                ),
            )
    else:
        rows = part(CaseTally, CaseTally.month == month, 1)
    rows = rows.subquery()
    group = [rows.c[c] for c in columns]
    n, amount = func.sum(rows.c.n), func.sum(rows.c.amount)
    query = select(*group, n, amount).group_by(*group).having((n != 0) | (amount != 0))
    if db.session.get_bind().dialect.name == "postgresql":
        # a few thousand rows, read in 1 ms; PostgreSQL's estimate of their scattered pages
        # starts two parallel workers for them, 20-25 ms on a small server (this transaction)
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    return db.session.execute(query)
