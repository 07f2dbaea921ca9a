"""Demo data: Dinas Sosial Kota Makassar, lived-in. Only `flask seed-demo` calls this.

One seeder per capability, run in this order on one random generator (the same seed gives the
same demo): offices and staff, cases, referrals, follow-ups, aid, closures. Every step goes
through the services and is backdated afterwards (seed.common)."""

from __future__ import annotations

import random

from ..extensions import db
from ..models._base import utcnow
from ..services.timeutil import office_today
from .agenda import seed_agenda_office
from .aid import seed_aid
from .cases import seed_cases, seed_lookalike
from .closures import seed_closures
from .common import Demo
from .followups import seed_followups
from .offices import seed_offices
from .referrals import seed_referrals


def seed_demo(count: int = 300, seed: int = 20261123) -> None:
    rng = random.Random(seed)
    office, users = seed_offices()
    demo = Demo(office, users, rng, utcnow())
    seed_cases(demo, count)
    seed_referrals(demo)
    demo.today = office_today(office)
    seed_followups(demo)
    seed_aid(demo)
    seed_closures(demo)
    seed_lookalike(demo)
    seed_agenda_office(_other_office(office), demo.now)
    db.session.commit()


def _other_office(office):
    from sqlalchemy import select

    from ..models import Office

    return db.session.scalar(select(Office).where(Office.id != office.id).order_by(Office.id))
