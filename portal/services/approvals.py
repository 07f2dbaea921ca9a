"""The manager's desk: what waits for a decision, and what a worker has not yet seen decided."""

from __future__ import annotations

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Case, CaseClosure, Referral, User
from ..models._base import utcnow
from . import access


def waiting_query(manager: User):
    return select(Referral).where(
        Referral.office_id == manager.office_id, Referral.status == "submitted"
    )


def waiting_count(manager: User) -> int:
    """Referrals and closure requests waiting for this manager's office."""
    if not access.is_manager(manager):
        return 0
    # two counts over the approval desk's indexes (office, status, ...): no table row is read
    referrals = select(func.count()).where(
        Referral.office_id == manager.office_id, Referral.status == "submitted"
    )
    closures = select(func.count()).where(
        CaseClosure.office_id == manager.office_id, CaseClosure.status == "requested"
    )
    return db.session.scalar(select(referrals.scalar_subquery() + closures.scalar_subquery()))


DECIDED = ("approved", "rejected", "returned")


def decided_for(worker: User, *, unseen_only: bool = True, limit: int = 20) -> list[Referral]:
    """The worker's referrals decided since they last looked (or the latest decisions)."""
    query = (
        select(Referral)
        .where(
            Referral.office_id == worker.office_id,
            or_(Referral.submitted_by_id == worker.id, Referral.created_by_id == worker.id),
            Referral.decided_at.is_not(None),
        )
        .options(
            joinedload(Referral.case).joinedload(Case.person),
            joinedload(Referral.decided_by),
            selectinload(Referral.letters),
        )
        .order_by(Referral.decided_at.desc())
        .limit(limit)
    )
    if unseen_only and worker.decisions_seen_at:
        query = query.where(Referral.decided_at > worker.decisions_seen_at)
    return list(db.session.scalars(query))


def mark_decisions_seen(worker: User) -> None:
    """The worker has seen the decisions listed on their dashboard: written at once, in a short
    transaction of its own (as audit.record_now), so the dashboard, a page that otherwise only
    reads, never holds SQLite's write lock while it counts (two workers served it one at a
    time, with a p99 of 0.5-1.7 s under load). The page read the stamp before this."""
    with db.engine.begin() as connection:
        connection.execute(
            update(User).where(User.id == worker.id).values(decisions_seen_at=utcnow())
        )
