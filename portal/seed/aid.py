"""The aid given in the demo, by case type."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case
from ..services import aid as aid_service
from .common import Demo, backdated

AID_PLAN = {  # case type -> (kind, quantity, unit, amount in Rupiah)
    "Orang terlantar": [
        ("transport_ticket", 1, "tiket", 850000),
        ("pocket_money", None, "", 200000),
        ("food", 2, "paket", None),
    ],
    "ODGJ terlantar": [
        ("clothing", 2, "pasang", None),
        ("medical_cost", None, "", 350000),
        ("psychosocial", 3, "sesi", None),
    ],
    "21": [
        ("food", 5, "paket", None),
        ("shelter_kit", 1, "set", 750000),
        ("clothing", 4, "pasang", None),
    ],
    "22": [
        ("food", 3, "paket", None),
        ("shelter_kit", 1, "set", 750000),
        ("other", 1, "paket", 150000),
    ],
    "08": [("food", 10, "kg", None), ("other", 1, "kasur", 400000)],
    "04": [("clothing", 2, "pasang", None), ("psychosocial", 2, "sesi", None)],
}


def seed_aid(demo: Demo) -> None:
    """Aid given to a sample of the open cases, as their case type needs."""
    office, rng, today = demo.office, demo.rng, demo.today
    manager = demo.users["manajer"]
    active = db.session.scalars(
        select(Case)
        .where(Case.office_id == office.id, Case.status.in_(("new", "in_progress", "referred")))
        .order_by(Case.reported_at)
    ).all()
    for case in rng.sample(active, min(len(active), 70)):
        items = AID_PLAN.get(case.local_type.name if case.local_type else case.ppks_code)
        if not items:
            continue
        giver = case.assigned_to or manager
        for kind, quantity, unit, amount in rng.sample(items, rng.randint(1, len(items))):
            given = min(today, case.reported_at.date() + timedelta(days=rng.randint(0, 5)))
            values = {
                "kind": kind,
                "quantity": quantity,
                "unit": unit,
                "amount": amount,
                "given_on": given,
                "given_by": giver.full_name,
                "note": "",
            }
            with backdated(case, demo.at(given)):
                aid_service.record_aid(case, giver, values)
