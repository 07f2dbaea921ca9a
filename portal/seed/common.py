"""What every demo seeder shares: the office, its staff, one random generator and the clock; and
backdating, so that a case's timeline reads as if each step happened on its own day."""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Case, CaseEvent, Office, User
from ..services.timeutil import local_to_utc

PASSWORD = "demo1234"  # noqa: S105 - demo accounts only, created only by seed-demo


@dataclass
class Demo:
    office: Office
    users: dict[str, User]  # by username
    rng: random.Random  # one generator, drawn in the same order: the same seed, the same demo
    now: datetime  # naive UTC
    today: date | None = None  # the office's (set before the follow-ups are seeded)

    def at(self, day: date) -> datetime:
        """A moment of office hours that (local) day, as naive UTC, not future."""
        moment = datetime.combine(day, time(8 + self.rng.randint(0, 7), self.rng.randint(0, 59)))
        return min(self.now, local_to_utc(moment, self.office.timezone))


def backdate(case_id: int, after_event_id: int, when) -> None:
    """Timeline entries written by a workflow step get the moment the step happened."""
    db.session.execute(
        update(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.id > after_event_id)
        .values(created_at=when)
    )


def last_event_id() -> int:
    return db.session.scalar(select(func.max(CaseEvent.id))) or 0


@contextmanager
def backdated(case: Case, when):
    """Timeline entries written inside get the moment the step happened."""
    mark = last_event_id()
    yield
    db.session.flush()
    backdate(case.id, mark, when)
