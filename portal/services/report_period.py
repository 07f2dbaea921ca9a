"""A report's period: a month, a quarter, a year or a range of days (services.reports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .i18n import lazy as _l
from .i18n import month_name

QUARTERS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = "range"  # month, quarter, year, range

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = date(year + (month == 12), month % 12 + 1, 1)
        return cls(date(year, month, 1), following - timedelta(1), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = cls.month(year, 3 * quarter - 2)
        return cls(first.start, cls.month(year, 3 * quarter).end, "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @property
    def label(self) -> str:
        month = month_name(self.start.month)
        if self.kind == "month":
            return f"{month} {self.start.year}"
        if self.kind == "quarter":
            return str(
                _l(
                    "triwulan %(q)s %(year)s",
                    q=QUARTERS[(self.start.month - 1) // 3],
                    year=self.start.year,
                )
            )
        if self.kind == "year":
            return str(self.start.year)
        return f"{day_label(self.start)} – {day_label(self.end)}"


def day_label(value: date) -> str:
    return f"{value.day} {month_name(value.month)} {value.year}"
