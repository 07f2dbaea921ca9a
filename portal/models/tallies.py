from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class CaseTally(db.Model):
    """Monthly counts of an office's cases, by category and kecamatan: what the manager's
    dashboard and the period reports add up instead of counting 500,000 cases each time.

    Kept by services.tallies as cases, referrals, closures and aid change (never written by
    hand); `flask rebuild-tallies` recomputes them. One row per (office, user, measure, month,
    category, kecamatan, key); 0 and "" stand for "none" so the key is a plain primary key.
    user_id 0 holds the office's counts by kecamatan, user_id -1 the same over every kecamatan
    (what the office's dashboard and reports read) and its counts of the present (month
    1900-01-01; services.tally_counts); a social worker's own counts (the cases assigned to
    them or registered by them), their counts of the present included, are kept under their
    user id, without the kecamatan. A report of one kecamatan reads its rows by
    ix_case_tally_district (the key's order would read every kecamatan's rows of each month)."""

    __tablename__ = "case_tally"
    __table_args__ = (
        Index(
            "ix_case_tally_district", "office_id", "user_id", "district_code", "measure", "month"
        ),
    )

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 0, -1: office
    measure: Mapped[str] = mapped_column(String(12), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)  # the first day of the month
    ppks_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    local_type_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 0: none
    district_code: Mapped[str] = mapped_column(String(13), primary_key=True)  # "": unknown
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # reason, kind, province …
    n: Mapped[int] = mapped_column(default=0)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # Rupiah (aid)


class CaseDayTally(db.Model):
    """The same counts as CaseTally by the office's own day: what a report whose period cuts
    months (10 Feb - 20 Nov) adds up for the days at its edges, so it reads a few hundred rows
    per day instead of counting that day's cases. Kept and rebuilt with the monthly tallies (a
    month's rows are the sum of its days'); never written by hand."""

    __tablename__ = "case_day_tally"
    # on SQLite the rows live in the primary key's b-tree: half the size, one lookup per row;
    # a report of one kecamatan reads its days by (office, user, kecamatan, measure, day)
    __table_args__ = (
        Index(
            "ix_case_day_tally_district", "office_id", "user_id", "district_code", "measure", "day"
        ),
        {"sqlite_with_rowid": False},
    )

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 0: the office
    measure: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)  # the office's local day
    ppks_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    local_type_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 0: none
    district_code: Mapped[str] = mapped_column(String(13), primary_key=True)  # "": unknown
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
