"""The office's clock. Timestamps are stored as naive UTC; every business date (letter date,
register year, case-number year, "today", "this month", due dates, report periods) is the
office's own local date in its time zone (WIB, WITA, WIT). Nothing else asks the server's clock
for a date: `office_today(office)` is "today at this office"."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from ..models._base import utcnow


def local_to_utc(value: datetime | None, tz: str) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(value: datetime | None, tz: str) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def local_date(value: datetime | date | None, tz: str) -> date | None:
    """The office's date of a stored UTC timestamp (a date is already a business date)."""
    if value is None or not isinstance(value, datetime):
        return value
    return utc_to_local(value, tz).date()


def day_start_utc(day: date, tz: str) -> datetime:
    """The UTC instant at which `day` begins at the office: timestamps of that day and later are
    >= it, so a local date range [first, last] is [day_start_utc(first), day_start_utc(last + 1))."""
    return local_to_utc(datetime.combine(day, time.min), tz)


def local_today(tz: str) -> date:
    return utc_to_local(utcnow(), tz).date()


def office_now(office) -> datetime:
    """The wall-clock time at this office, naive, in its own time zone."""
    return utc_to_local(utcnow(), office.timezone)


def office_today(office) -> date:
    """Today at this office: the one source of every business date."""
    return local_today(office.timezone)


__all__ = [
    "day_start_utc",
    "local_date",
    "local_to_utc",
    "local_today",
    "office_now",
    "office_today",
    "utc_to_local",
    "utcnow",
]
