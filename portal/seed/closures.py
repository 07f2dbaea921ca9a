"""The demo's closures: waiting, approved and returned; one case reopened."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case
from ..services import closure
from ..services.workflow import set_workflow_fields
from .common import Demo, backdated

CLOSURE_SUMMARIES = {
    "returned_family": "Klien dijemput keluarga setelah asesmen; keluarga bersedia merawat.",
    "returned_origin": "Klien dipulangkan ke daerah asal dan diterima Dinas Sosial setempat.",
    "placed": "Klien ditempatkan di UPTD untuk rehabilitasi sosial jangka panjang.",
    "recovered": "Klien pulih, sudah bekerja dan tinggal di kos sendiri.",
    "referred_agency": "Penanganan dilanjutkan oleh lembaga perlindungan anak.",
    "lost_contact": "Klien meninggalkan shelter dan tidak dapat dihubungi lagi.",
    "died": "Klien meninggal dunia di RSUD; dimakamkan oleh keluarga.",
}


REASONS = [
    "returned_family",
    "returned_family",
    "returned_origin",
    "placed",
    "recovered",
    "referred_agency",
    "lost_contact",
    "died",
]
PLAN = ["approved"] * 30 + ["closed"] * 6 + ["reopened"] + ["returned"] * 2


def _closable(case: Case) -> bool:
    return (
        case.is_active
        and case.assigned_to is not None
        and not closure.pending_referrals(case)
        and not closure.open_followup_count(case)
    )


def _decide(item, target: str, manager) -> None:
    if target in ("approved", "reopened"):
        closure.approve(item, manager, "Setuju.")
    elif target == "returned":
        closure.return_for_changes(
            item, manager, "Lengkapi ringkasan: di mana klien tinggal sekarang?"
        )


def _close(demo: Demo, case: Case, target: str) -> None:
    """One closure taken as far as `target` ("closed": by the manager at once)."""
    rng, now, today = demo.rng, demo.now, demo.today
    manager = demo.users["manajer"]
    worker, reason = case.assigned_to, rng.choice(REASONS)
    closed_on = min(today, case.reported_at.date() + timedelta(days=rng.randint(10, 60)))
    decided_on = min(today, closed_on + timedelta(days=rng.randint(0, 3)))
    requester = manager if target == "closed" else worker  # a manager closes at once
    requested = demo.at(closed_on)
    decided = min(now, max(demo.at(decided_on), requested + timedelta(hours=2)))
    with backdated(case, requested):
        item = closure.request(
            case,
            requester,
            reason=reason,
            closed_on=closed_on,
            summary=CLOSURE_SUMMARIES[reason],
        )
    item.requested_at = requested
    with backdated(case, decided):
        _decide(item, target, manager)
    if item.decided_at:
        item.decided_at = requested if target == "closed" else decided
    if case.closed_at:
        set_workflow_fields(case, closed_at=item.decided_at)
    if target == "reopened":
        with backdated(case, now):
            closure.reopen(case, worker, "Klien kembali ditemukan di jalan; perlu ditangani lagi.")


def _request(demo: Demo, case: Case) -> None:
    """A closure requested in the last days, waiting for the manager."""
    reason = demo.rng.choice(REASONS[:5])
    closed_on = max(case.reported_at.date(), demo.today - timedelta(days=demo.rng.randint(0, 3)))
    requested = demo.at(closed_on)
    with backdated(case, requested):
        item = closure.request(
            case,
            case.assigned_to,
            reason=reason,
            closed_on=closed_on,
            summary=CLOSURE_SUMMARIES[reason],
        )
    item.requested_at = requested


def seed_closures(demo: Demo) -> None:
    """The oldest settled cases are closed (one of them reopened later, two returned to the
    worker); the newest settled cases wait for the manager."""
    settled = [
        case
        for case in db.session.scalars(
            select(Case).where(Case.office_id == demo.office.id).order_by(Case.reported_at)
        )
        if _closable(case)
    ]
    for case, target in zip(settled, PLAN, strict=False):
        _close(demo, case, target)
    for case in [c for c in reversed(settled[len(PLAN) :]) if _closable(c)][:4]:
        _request(demo, case)
    db.session.flush()
