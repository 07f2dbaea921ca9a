"""Logging in, with a pause after repeated failures."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from ..extensions import db
from ..models import User
from ..models._base import utcnow
from . import audit
from .errors import Refused
from .i18n import lazy as _l

_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


@dataclass
class LoginResult:
    user: User | None = None
    error: str | None = None  # "invalid" or "locked"
    wait_minutes: int = 0


def attempt_login(
    username: str,
    password: str,
    *,
    ip: str = "",
    max_failures: int = 5,
    window_minutes: int = 15,
    lock_minutes: int = 15,
    now: datetime | None = None,
) -> LoginResult:
    """Check the password. Failures are counted and logged: the caller commits them even
    though the login is refused."""
    now = now or utcnow()
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    )
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")  # same time as a real check
        return LoginResult(error="invalid")
    if user.locked_until and user.locked_until > now:
        audit.record("login.locked", user=user, ip=ip, object_type="user", object_id=user.id)
        return LoginResult(error="locked", wait_minutes=_minutes(user.locked_until - now))
    if not user.check_password(password or "") or not user.active:
        return _failed(user, now, ip, max_failures, window_minutes, lock_minutes)
    user.failed_logins = 0
    user.failed_window_start = None
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", user=user, ip=ip, object_type="user", object_id=user.id)
    return LoginResult(user=user)


def _failed(user: User, now: datetime, ip: str, max_failures, window_minutes, lock_minutes):
    """A wrong password (or an inactive account): counted within its window, and the account
    locked for a while at `max_failures`."""
    window = user.failed_window_start
    if window is None or now - window > timedelta(minutes=window_minutes):
        user.failed_window_start = now
        user.failed_logins = 0
    user.failed_logins += 1
    audit.record("login.failed", user=user, ip=ip, object_type="user", object_id=user.id)
    if user.failed_logins < max_failures:
        return LoginResult(error="invalid")
    user.locked_until = now + timedelta(minutes=lock_minutes)
    user.failed_logins = 0
    user.failed_window_start = None
    return LoginResult(error="locked", wait_minutes=lock_minutes)


def logout(user: User, ip: str = "") -> None:
    audit.record("logout", user=user, ip=ip, object_type="user", object_id=user.id)


def change_password(user: User, current: str, new: str, ip: str = "") -> None:
    """Set a new password, given the current one (which ends the user's other sessions)."""
    if not user.check_password(current or ""):
        raise Refused(str(_l("Kata sandi saat ini salah.")), field="current")
    user.set_password(new)
    audit.record("user.password", user=user, ip=ip, object_type="user", object_id=user.id)


def _minutes(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds() / 60))
