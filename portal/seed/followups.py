"""The demo's follow-ups: the ones completed referrals propose, and others due, overdue and done,
so /tasks and the dashboard have something in every bucket."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case, Referral
from ..services import followups, proposals
from .common import Demo, backdated

FINDINGS = [
    "Klien dalam keadaan sehat, makan teratur; keluarga menerima dengan baik.",
    "Kondisi klien membaik, sudah mau berbicara dan mengikuti kegiatan.",
    "Keluarga meminta bantuan pendaftaran BPJS PBI untuk klien.",
    "Klien sudah tiba di daerah asal dan diterima keluarga (dikonfirmasi Dinsos penerima).",
    "Rumah klien masih rusak; perlu koordinasi dengan kelurahan untuk bedah rumah.",
]
PURPOSES = {
    "home_visit": "Kunjungan rumah: pantau kondisi klien dan dukungan keluarga.",
    "phone_call": "Telepon keluarga: tanyakan kondisi klien dan kebutuhan bantuan.",
    "facility_visit": "Kunjungan ke panti/RSJ: pantau perkembangan klien.",
    "dinsos_coordination": "Koordinasi dengan Dinas Sosial penerima tentang kedatangan klien.",
}
OFFSETS = [-15, -9, -6, -4, -3, -2, -1, 0, 0, 1, 2, 3, 5, 8, 12, 20, 30]  # due in days from today


def _proposed(demo: Demo) -> None:
    """The follow-up each completed referral proposes: scheduled, and mostly done once due."""
    office, rng, today = demo.office, demo.rng, demo.today
    completed = db.session.scalars(
        select(Referral)
        .where(Referral.office_id == office.id, Referral.status == "completed")
        .order_by(Referral.id)
    ).all()
    proposed = [
        r for r in completed if r.case.assigned_to and proposals.proposal_for(r, office, [], today)
    ]
    for referral in proposed[:-1]:  # the newest proposal stays open: one click on its case
        case, handed = referral.case, referral.handover_date or today
        proposal = proposals.proposal_for(referral, office, [], handed)
        worker = case.assigned_to
        with backdated(case, demo.at(handed)):
            followup = followups.schedule(
                case,
                worker,
                kind=proposal.kind,
                due_date=proposal.due_date,
                assigned_to=worker,
                purpose=proposal.purpose,
                referral=referral,
                today=today,
            )
        if proposal.due_date < today - timedelta(days=3) and rng.random() < 0.7:
            done_on = min(today, proposal.due_date + timedelta(days=rng.randint(0, 2)))
            outcome = followups.Outcome(
                "done", done_on, rng.choice(FINDINGS), "Pantau lewat telepon bulan depan."
            )
            with backdated(case, demo.at(done_on)):
                followups.record_outcome(followup, worker, outcome, today=today)


def _past_outcome(demo: Demo, due) -> followups.Outcome | None:
    """A follow-up due before yesterday: mostly done or not reached; None: left open."""
    roll = demo.rng.random()
    if roll < 0.45:
        return followups.Outcome(
            "done", due, demo.rng.choice(FINDINGS), "Kunjungan ulang bulan depan."
        )
    if roll < 0.6:
        return followups.Outcome(
            "not_reached", due, reason="Rumah terkunci; tetangga belum melihat klien."
        )
    return None  # left open: overdue on /tasks


def _on_recent_case(demo: Demo, case: Case) -> None:
    rng, today = demo.rng, demo.today
    worker, kind = case.assigned_to, rng.choice(list(PURPOSES))
    due = today + timedelta(days=rng.choice(OFFSETS))
    if due < case.reported_at.date():
        due = today + timedelta(days=rng.randint(0, 10))
    created = max(case.reported_at.date(), due - timedelta(days=rng.randint(3, 14)))
    with backdated(case, demo.at(min(created, today))):
        followup = followups.schedule(
            case,
            worker,
            kind=kind,
            due_date=due,
            assigned_to=worker,
            purpose=PURPOSES[kind],
            today=today,
        )
    if due >= today - timedelta(days=1):
        return
    outcome = _past_outcome(demo, due)
    if outcome is not None:
        with backdated(case, demo.at(due)):
            followups.record_outcome(followup, worker, outcome, today=today)


def _recent(demo: Demo) -> list[Case]:
    """Follow-ups on recent active cases: some overdue, some due today or this week, some
    later; past ones mostly done or not reached. Returns those cases."""
    recent = db.session.scalars(
        select(Case)
        .where(
            Case.office_id == demo.office.id,
            Case.status.in_(("in_progress", "referred")),
            Case.assigned_to_id.is_not(None),
            Case.reported_at >= demo.now - timedelta(days=90),
        )
        .order_by(Case.reported_at)
    ).all()
    for case in demo.rng.sample(recent, min(len(recent), 45)):
        _on_recent_case(demo, case)
    return recent


def _own(demo: Demo, recent: list[Case]) -> None:
    """The demo login "pekerja" always has something overdue and something due today."""
    today = demo.today
    own = [c for c in recent if c.assigned_to_id == demo.users["pekerja"].id]
    for case, days in zip(own[-3:], (-4, -2, 0), strict=False):
        due = today + timedelta(days=days)
        with backdated(case, demo.at(max(case.reported_at.date(), due - timedelta(days=7)))):
            followups.schedule(
                case,
                case.assigned_to,
                kind="home_visit",
                due_date=due,
                assigned_to=case.assigned_to,
                purpose=PURPOSES["home_visit"],
                today=today,
            )


def seed_followups(demo: Demo) -> None:
    """Follow-ups due, overdue and done. Every step goes through the services and is backdated
    afterwards."""
    _proposed(demo)
    _own(demo, _recent(demo))
