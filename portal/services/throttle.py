"""Failed log-ins counted per key in the database (table login_throttle), so every app server
shares the counts: "ip:<address>" throttles password spraying from one address, and
"name:<username>" counts failures for usernames that do not exist, so an unknown name answers
exactly as a real account does (services.auth). A key is locked for a while when its failures
within the window reach the limit; the lock is checked before any password is hashed."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import LoginThrottle


def address_key(ip: str) -> str:
    return "ip:" + (ip or "-")[:190]


def name_key(username: str) -> str:
    return "name:" + (username or "")[:190]


def wait_seconds(key: str, now: datetime) -> int:
    """How long `key` must still wait (0: it may try)."""
    row = db.session.get(LoginThrottle, key)
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return max(1, math.ceil((row.locked_until - now).total_seconds()))


def failed(
    key: str, now: datetime, *, max_failures: int, window_minutes: int, lock_minutes: int
) -> int:
    """Count one failure for `key`; returns the lock in seconds it caused (0: none)."""
    row = _row_for_update(key, now)
    if now - row.window_start > timedelta(minutes=window_minutes):
        row.window_start = now
        row.failures = 0
    row.failures += 1
    if row.failures < max_failures:
        return 0
    row.locked_until = now + timedelta(minutes=lock_minutes)
    row.failures = 0
    row.window_start = now
    return lock_minutes * 60


def _row_for_update(key: str, now: datetime) -> LoginThrottle:
    """The key's row, locked (PostgreSQL: FOR UPDATE; SQLite: the request holds the write
    lock); a new one when there is none, also when another server inserts it at the same time."""
    query = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    row = db.session.scalar(query)
    if row is not None:
        return row
    _forget_old(now)
    try:
        with db.session.begin_nested():
            row = LoginThrottle(key=key, failures=0, window_start=now)
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(query.execution_options(populate_existing=True))
    return row


def _forget_old(now: datetime) -> None:
    """Rows of keys that have been quiet for a day (and are not locked) go."""
    old = now - timedelta(days=1)
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_start < old,
            (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until < now),
        )
    )
