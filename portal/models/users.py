from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ._base import utcnow
from .offices import Office

ROLES = ("worker", "manager", "admin")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[str] = mapped_column(String(120), default="")  # jabatan
    nip: Mapped[str] = mapped_column(String(18), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")  # printed on a surat jalan
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(5), default="id")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Throttling: failures counted in a window; a lock until a moment.
    failed_logins: Mapped[int] = mapped_column(default=0)
    failed_window_start: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    decisions_seen_at: Mapped[datetime | None]  # the home page shows decisions after this
    # Bumped on password change or deactivation: sessions carrying an older value end.
    session_token: Mapped[int] = mapped_column(default=1)

    office: Mapped[Office] = relationship(lazy="joined")

    def set_password(self, password: str) -> None:
        from flask import current_app

        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.session_token = (self.session_token or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_worker(self) -> bool:
        return self.role == "worker"

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def may_work_cases(self) -> bool:
        return self.role in ("worker", "manager")

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class LoginThrottle(db.Model):
    """Failed log-ins counted per key, shared by every app server through the database:
    "ip:<address>" (password spraying from one address) and "name:<username>" for usernames
    that do not exist (so they answer exactly as a real account would, lock included)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(index=True)
    locked_until: Mapped[datetime | None]
