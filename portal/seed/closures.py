"""The demo's closures: waiting, approved and returned; one case reopened."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case
from ..services import cases as case_service
from ..services import closure
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


def seed_closures(demo: Demo) -> None:
    """The oldest settled cases are closed (one of them reopened later, two returned to the
    worker); the newest settled cases wait for the manager."""
    office, rng, now, today = demo.office, demo.rng, demo.now, demo.today
    manager = demo.users["manajer"]

    def closable(case: Case) -> bool:
        return (
            case.is_active
            and case.assigned_to is not None
            and not closure.pending_referrals(case)
            and not closure.open_followup_count(case)
        )

    settled = [
        case
        for case in db.session.scalars(
            select(Case).where(Case.office_id == office.id).order_by(Case.reported_at)
        )
        if closable(case)
    ]
    reasons = [
        "returned_family",
        "returned_family",
        "returned_origin",
        "placed",
        "recovered",
        "referred_agency",
        "lost_contact",
        "died",
    ]
    plan = ["approved"] * 30 + ["closed"] * 6 + ["reopened"] + ["returned"] * 2
    for case, target in zip(settled, plan, strict=False):
        worker, reason = case.assigned_to, rng.choice(reasons)
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
            if target in ("approved", "reopened"):
                closure.approve(item, manager, "Setuju.")
            elif target == "returned":
                closure.return_for_changes(
                    item, manager, "Lengkapi ringkasan: di mana klien tinggal sekarang?"
                )
        if item.decided_at:
            item.decided_at = requested if target == "closed" else decided
        if case.closed_at:
            case_service.set_workflow_fields(case, closed_at=item.decided_at)
        if target == "reopened":
            with backdated(case, now):
                closure.reopen(
                    case, worker, "Klien kembali ditemukan di jalan; perlu ditangani lagi."
                )
    for case in [c for c in reversed(settled[len(plan) :]) if closable(c)][:4]:
        reason = rng.choice(reasons[:5])
        closed_on = max(case.reported_at.date(), today - timedelta(days=rng.randint(0, 3)))
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
    db.session.flush()
