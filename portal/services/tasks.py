"""/tasks: the open follow-ups a user carries out (a worker's own; a manager's office, one group
per worker), in buckets by due date (services.workdays), and how many are overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, FollowUp, User
from . import access
from .workdays import BUCKETS, bucket_of, overdue_cutoff, working_days_late

TASK_LIMIT = 300  # follow-ups listed on /tasks, the nearest due first; the totals count them all


@dataclass
class Task:
    followup: FollowUp
    bucket: str
    days_late: int = 0


@dataclass
class TaskGroup:
    worker: User | None
    buckets: dict[str, list[Task]] = field(default_factory=lambda: {b: [] for b in BUCKETS})

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.buckets.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _open_tasks_query(user: User):
    return access.task_scope(user, select(FollowUp).where(FollowUp.status == "open"))


def tasks_for(user: User, today: date) -> list[TaskGroup]:
    """A worker's open follow-ups; for a manager, the office's, one group per worker."""
    items = db.session.scalars(
        _open_tasks_query(user)
        .options(
            joinedload(FollowUp.case).joinedload(Case.person),
            joinedload(FollowUp.assigned_to),
        )
        .order_by(FollowUp.due_date, FollowUp.id)
        .limit(TASK_LIMIT)
    )
    groups: dict[int, TaskGroup] = {}
    for followup in items:
        group = groups.setdefault(followup.assigned_to_id, TaskGroup(followup.assigned_to))
        name = bucket_of(followup.due_date, today)
        late = working_days_late(followup.due_date, today) if name == "overdue" else 0
        group.buckets[name].append(Task(followup, name, late))
    return sorted(
        groups.values(),
        key=lambda g: (-g.counts["overdue"], g.worker.full_name if g.worker else ""),
    )


def bucket_totals(user: User, today: date) -> dict[str, int]:
    """Every open follow-up in the user's scope per bucket, counted by the database (the list
    itself stops at TASK_LIMIT)."""
    sunday = today + timedelta(days=6 - today.weekday())
    bucket = case(
        (FollowUp.due_date <= overdue_cutoff(today), "overdue"),
        (FollowUp.due_date <= today, "today"),
        (FollowUp.due_date <= sunday, "week"),
        else_="later",
    )
    rows = _open_tasks_query(user).with_only_columns(bucket.label("bucket")).subquery()
    counted = db.session.execute(select(rows.c.bucket, func.count()).group_by(rows.c.bucket))
    return {name: 0 for name in BUCKETS} | dict(counted.all())


def overdue_count(user: User, today: date) -> int:
    if not access.works_cases(user):
        return 0
    query = _open_tasks_query(user).where(FollowUp.due_date <= overdue_cutoff(today))
    return db.session.scalar(select(func.count()).select_from(query.subquery()))
