"""Demo data: Dinas Sosial Kota Makassar, lived-in. Only `flask seed-demo` calls this.

One seeder per capability, run in this order on one random generator (the same seed gives the
same demo): offices and staff, cases, referrals, follow-ups, aid, closures, an identification. Every step goes
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
from .consent import seed_consent
from .documents import seed_documents
from .followups import seed_followups
from .identification import seed_identification
from .merge import seed_merged_pair
from .offices import seed_offices
from .referrals import seed_referrals, seed_takeover
from .registry import seed_registry
from .retention import seed_retention


def seed_demo(count: int = 300, seed: int = 20261123, progress=None) -> None:
    """The demo office and its lived-in cases; `progress(done, total, step)` hears each step."""
    rng = random.Random(seed)
    office, users = seed_offices()
    demo = Demo(office, users, rng, utcnow())
    report = progress or (lambda done, total, step="": None)
    steps = (
        ("kasus", lambda: seed_cases(demo, count)),
        ("wali dan dasar pemrosesan data", lambda: seed_consent(demo)),
        ("rujukan dan surat", lambda: seed_referrals(demo)),
        ("tindak lanjut", lambda: seed_followups(demo)),
        ("bantuan", lambda: seed_aid(demo)),
        ("penutupan", lambda: seed_closures(demo)),
        ("identifikasi", lambda: seed_identification(demo)),
        ("kasus yang dialihkan", lambda: seed_takeover(demo)),
        ("orang mirip", lambda: seed_lookalike(demo)),
        ("orang yang digabungkan", lambda: seed_merged_pair(demo)),
        ("status registrasi sosial", lambda: seed_registry(demo)),
        ("masa retensi", lambda: seed_retention(demo)),
        ("dokumen", lambda: seed_documents(demo)),
        ("kantor dengan nomor agenda", lambda: seed_agenda_office(_other_office(office), demo.now)),
    )
    for done, (name, step) in enumerate(steps):
        report(done, len(steps), name)
        step()
        if name == "rujukan dan surat":
            demo.today = office_today(office)
    db.session.commit()
    report(len(steps), len(steps), "")


def _other_office(office):
    from sqlalchemy import select

    from ..models import Office

    return db.session.scalar(select(Office).where(Office.id != office.id).order_by(Office.id))
