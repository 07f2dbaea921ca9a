"""Registry statuses in the demo: most people with a NIK were checked in cek bansos or SIKS-NG
some weeks ago; some are registered with a low decile, PBI and PKH/BPNT, some not registered
or proposed for DTSEN (the case list's filter and the report's line show them), a few with
two checks (the history)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Person
from ..services import registry
from .common import Demo

STATUSES = ("registered",) * 5 + ("not_registered",) * 2 + ("proposed",) * 2 + ("unchecked",)
SOURCES = ("cek_bansos", "cek_bansos", "siks_ng", "dukcapil")


def _values(demo: Demo, status: str, days_ago: int) -> dict:
    rng = demo.rng
    registered = status == "registered"
    insurance = rng.choice(
        ("pbi", "pbi", "mandiri", "none") if registered else ("none", "", "mandiri")
    )
    aid = [a for a in ("pkh", "bpnt", "blt") if registered and rng.random() < 0.4]
    return {
        "dtsen_status": status,
        "decile": rng.randint(1, 5) if registered else None,
        "insurance": insurance,
        "insurance_number": "000" + str(rng.randint(10**9, 10**10 - 1))
        if insurance in ("pbi", "mandiri")
        else "",
        "aid": aid,
        "aid_other": "",
        "checked_on": demo.today - timedelta(days=days_ago),
        "source": rng.choice(SOURCES),
    }


def seed_registry(demo: Demo) -> None:
    """About three in four people with a NIK checked; one in ten of those checked twice."""
    worker = demo.users["pekerja"]
    people = db.session.scalars(
        select(Person)
        .where(
            Person.office_id == demo.office.id,
            Person.nik.is_not(None),
            Person.merged_into_id.is_(None),
        )
        .order_by(Person.id)
    ).all()
    checked = [p for p in people if demo.rng.random() >= 0.25]
    for i, person in enumerate(checked):
        status = STATUSES[i % len(STATUSES)]  # every status, even in a small demo
        if demo.rng.random() < 0.1:  # first found not registered, proposed, now registered
            registry.record(worker, person, _values(demo, "not_registered", 120))
        registry.record(worker, person, _values(demo, status, demo.rng.randint(3, 60)))
    db.session.flush()
