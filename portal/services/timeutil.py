"""Times are stored as naive UTC; people type and read them in their office's time zone."""

from datetime import UTC, date, datetime
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


def local_today(tz: str) -> date:
    return utc_to_local(utcnow(), tz).date()


__all__ = ["local_to_utc", "local_today", "utc_to_local", "utcnow"]
