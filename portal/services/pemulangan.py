"""What the pemulangan letters print beyond the referral's own fields: where the traveller goes
(the receiving office's full address), the money for the journey, how long the surat jalan is
valid, and whom to call on the way."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Aid, Office, Referral, User
from .regions import region_name, region_path

SURAT_JALAN_VALID_DAYS = 7  # a surat jalan is valid this many days, from the day of departure
# The money a pemulangan carries: the aid kind recorded on the case, and the referral's own
# planned figure used until that aid is recorded (a pengantar is issued before the journey).
TRAVEL_MONEY = (
    ("transport_ticket", "tiket", "ticket_cost"),
    ("pocket_money", "uang saku", "pocket_money"),
)


def validity(referral: Referral, issued_on: date) -> tuple[date, date]:
    """(first, last) day the surat jalan is valid: SURAT_JALAN_VALID_DAYS days from the planned
    departure (or the day of issue when none is planned), both days included."""
    start = referral.planned_date or issued_on
    return start, start + timedelta(days=SURAT_JALAN_VALID_DAYS - 1)


def travel_money(referral: Referral) -> list[dict]:
    """[{"label", "amount", "note"}]: what was recorded as aid on the case, per kind, else the
    referral's planned amount; kinds with neither are left out."""
    recorded = db.session.scalars(
        select(Aid)
        .where(
            Aid.case_id == referral.case_id,
            Aid.kind.in_([kind for kind, _, _ in TRAVEL_MONEY]),
            Aid.amount.is_not(None),
        )
        .order_by(Aid.given_on, Aid.id)
    ).all()
    lines = []
    for kind, label, planned in TRAVEL_MONEY:
        items = [aid for aid in recorded if aid.kind == kind]
        amount = sum(aid.amount for aid in items) if items else getattr(referral, planned)
        if amount is not None:
            notes = "; ".join(aid.note for aid in items if aid.note.strip())
            lines.append({"label": label, "amount": amount, "note": notes})
    return lines


def destination(referral: Referral) -> dict:
    """The receiving office and its full address: street, then the region from the
    organisation's code or, failing that, the destination regency."""
    org = referral.organisation
    code = (org.region_code if org else None) or referral.destination_regency_code
    province = (referral.destination_regency_code or "").split(".")[0]
    return {
        "name": referral.receiver_label,
        "province": region_name(province) or "",
        "address": ", ".join(
            p for p in ((org.address if org else ""), region_path(code) or "") if p
        ),
    }


def contacts(referral: Referral, office: Office) -> list[dict]:
    """Whom the traveller (or anyone helping them) calls: the worker, then the office."""
    case = referral.case
    worker = db.session.get(User, case.assigned_to_id or case.created_by_id)
    lines = []
    if worker is not None:
        lines.append({"who": f"Petugas: {worker.full_name}", "phone": worker.phone})
    lines.append({"who": office.name, "phone": office.phone})
    return lines


def letter_context(referral: Referral, letter, office: Office) -> dict:
    valid_from, valid_until = validity(referral, letter.issued_on)
    return {
        "destination": destination(referral),
        "travel_money": travel_money(referral),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "valid_days": SURAT_JALAN_VALID_DAYS,
        "contacts": contacts(referral, office),
    }
