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
from . import audit, passwords, throttle
from .errors import Refused
from .i18n import lazy as _l

_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


@dataclass
class LoginResult:
    user: User | None = None
    error: str | None = None  # "invalid", "locked" (the account) or "throttled" (the address)
    wait_minutes: int = 0
    wait_seconds: int = 0


@dataclass
class Limits:
    """Failures allowed per account (and per unknown name) and per address, within a window,
    before a lock (config LOGIN_* and LOGIN_ADDRESS_*)."""

    max_failures: int = 5
    window_minutes: int = 15
    lock_minutes: int = 15
    address_max_failures: int = 30
    address_window_minutes: int = 15
    address_lock_minutes: int = 15


def attempt_login(
    username: str,
    password: str,
    *,
    ip: str = "",
    limits: Limits | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check the password. The address's throttle and the account's lock are checked before
    any hash is computed. Failures are counted and logged: the caller commits them even though
    the login is refused. An unknown username answers exactly as a real account would (its
    failures are counted and it "locks" too), so the answers never tell whether it exists."""
    limits = limits or Limits()
    now = now or utcnow()
    wait = throttle.wait_seconds(throttle.address_key(ip), now)
    if wait:
        return LoginResult(error="throttled", wait_seconds=wait, wait_minutes=_minutes(wait))
    name = (username or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.username) == name))
    if user is None:
        return _unknown(name, password, ip, now, limits)
    if user.locked_until and user.locked_until > now:
        audit.record("login.locked", user=user, ip=ip, object_type="user", object_id=user.id)
        return _locked((user.locked_until - now).total_seconds())
    if not user.check_password(password or "") or not user.active:
        return _failed(user, now, ip, limits)
    user.failed_logins = 0
    user.failed_window_start = None
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", user=user, ip=ip, object_type="user", object_id=user.id)
    return LoginResult(user=user)


def _locked(seconds: float) -> LoginResult:
    return LoginResult(error="locked", wait_minutes=_minutes(seconds))


def _address_failed(ip: str, now: datetime, limits: Limits) -> None:
    throttle.failed(
        throttle.address_key(ip),
        now,
        max_failures=limits.address_max_failures,
        window_minutes=limits.address_window_minutes,
        lock_minutes=limits.address_lock_minutes,
    )


def _unknown(name: str, password: str, ip: str, now: datetime, limits: Limits) -> LoginResult:
    key = throttle.name_key(name)
    wait = throttle.wait_seconds(key, now)
    if wait:
        return _locked(wait)
    check_password_hash(_DUMMY_HASH, password or "")  # same time as a real check
    _address_failed(ip, now, limits)
    locked = throttle.failed(
        key,
        now,
        max_failures=limits.max_failures,
        window_minutes=limits.window_minutes,
        lock_minutes=limits.lock_minutes,
    )
    return _locked(locked) if locked else LoginResult(error="invalid")


def _failed(user: User, now: datetime, ip: str, limits: Limits) -> LoginResult:
    """A wrong password (or an inactive account): counted within its window, and the account
    locked for a while at `max_failures`."""
    _address_failed(ip, now, limits)
    window = user.failed_window_start
    if window is None or now - window > timedelta(minutes=limits.window_minutes):
        user.failed_window_start = now
        user.failed_logins = 0
    user.failed_logins += 1
    audit.record("login.failed", user=user, ip=ip, object_type="user", object_id=user.id)
    if user.failed_logins < limits.max_failures:
        return LoginResult(error="invalid")
    user.locked_until = now + timedelta(minutes=limits.lock_minutes)
    user.failed_logins = 0
    user.failed_window_start = None
    return _locked(limits.lock_minutes * 60)


def logout(user: User, ip: str = "") -> None:
    """Ends the session on the server too: a copy of the session cookie carries the old
    session token and no longer logs anyone in (this ends the user's other sessions as well)."""
    user.session_token = (user.session_token or 0) + 1
    audit.record("logout", user=user, ip=ip, object_type="user", object_id=user.id)


def change_password(user: User, current: str, new: str, ip: str = "") -> None:
    """Set a new password, given the current one (which ends the user's other sessions)."""
    if not user.check_password(current or ""):
        raise Refused(str(_l("Kata sandi saat ini salah.")), field="current")
    passwords.require_strong(new, user, field="new")
    user.set_password(new)
    audit.record("user.password", user=user, ip=ip, object_type="user", object_id=user.id)


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))
