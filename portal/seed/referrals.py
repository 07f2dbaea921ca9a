"""The demo's referrals in every state, with letters numbered from the office's register."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case, Letter, Organisation
from ..services import letters, referrals
from .common import Demo, backdate, last_event_id


def seed_referrals(demo: Demo) -> None:
    """Referrals in every state, with letters numbered from the office's register."""
    office, users, rng, now = demo.office, demo.users, demo.rng, demo.now
    orgs = {
        o.kind: o
        for o in db.session.scalars(select(Organisation).where(Organisation.office_id == office.id))
    }
    by_kind = {}
    for o in db.session.scalars(select(Organisation).where(Organisation.office_id == office.id)):
        by_kind.setdefault(o.kind, []).append(o)
    cases = list(
        db.session.scalars(
            select(Case)
            .where(Case.office_id == office.id, Case.assigned_to_id.is_not(None))
            .order_by(Case.reported_at)
        )
    )
    manager = users["manajer"]
    plan = (
        ["completed"] * 6
        + ["approved"] * 10
        + ["submitted"] * 7
        + ["returned"] * 3
        + ["rejected"] * 3
        + ["draft"] * 4
        + ["cancelled"] * 2
    )
    pool = cases[-160:]
    plan = plan[: len(pool)]  # a small demo (seed-demo --cases 25) gets fewer referrals
    chosen = rng.sample(pool, len(plan))
    chosen.sort(key=lambda c: c.reported_at)
    for case, target in zip(chosen, plan, strict=True):
        worker = case.assigned_to
        local = case.local_type.name if case.local_type else ""
        if local == "ODGJ terlantar":
            kind, values = (
                "rsj",
                {
                    "organisation_id": by_kind["rsj"][0].id,
                    "medical_referral": True,
                    "medical_doctor": "dr. Hasnawati",
                    "medical_facility": "Puskesmas Kaluku Bodoa",
                    "medical_date": (case.reported_at + timedelta(days=1)).date(),
                    "observations": "Bicara sendiri, gelisah malam hari, tidak mengenali tempat dan waktu.",
                    "diagnosis": "Suspek gangguan psikotik (F20)",
                    "insurance": "kis",
                    "insurance_number": f"000{rng.randint(10**9, 10**10 - 1)}",
                    "family_status": "not",
                    "family_reason": "Keluarga belum ditemukan.",
                    "escort": "Tim reaksi cepat Dinsos",
                    "transport": "Ambulans Dinsos",
                    "planned_date": (case.reported_at + timedelta(days=3)).date(),
                },
            )
        elif local == "Orang terlantar":
            destination = case.person.origin_regency_code or "32.73"
            receiver = next((o for o in by_kind["dinsos"] if o.region_code == destination), None)
            kind, values = (
                "return_home",
                {
                    "destination_regency_code": destination,
                    "organisation_id": receiver.id if receiver else None,
                    "organisation_text": "" if receiver else "Dinas Sosial daerah asal",
                    "family_contact": "Kakak kandung, 0812-4455-6677",
                    "route": rng.choice(["direct", "relay"]),
                    "transport": rng.choice(["Kapal Pelni", "Bus antarprovinsi", "Pesawat"]),
                    "ticket_cost": rng.choice([450000, 850000, 1500000]),
                    "pocket_money": 200000,
                    "escort": "Andi Rahmat Hidayat",
                    "planned_date": (case.reported_at + timedelta(days=2)).date(),
                },
            )
        elif case.ppks_code in ("04", "08", "11", "12"):
            kind, values = (
                "placement",
                {
                    "organisation_id": rng.choice(by_kind["panti"]).id,
                    "programme": "Rehabilitasi sosial dan bimbingan keterampilan",
                    "expected_duration": "6 bulan",
                    "planned_date": (case.reported_at + timedelta(days=5)).date(),
                    "transport": "Mobil Dinsos",
                },
            )
        else:
            kind, values = (
                "service",
                {
                    "organisation_id": orgs["hospital"].id,
                    "purpose": "Pendaftaran BPJS PBI dan pemeriksaan kesehatan di RSUD.",
                },
            )
        start = case.reported_at + timedelta(hours=6)
        mark = last_event_id()
        referral = referrals.create(case, worker, kind, values)
        backdate(case.id, mark, start)
        referral.created_at = start
        if target == "draft":
            continue
        mark = last_event_id()
        referrals.submit(referral, worker)
        submitted = min(now, start + timedelta(hours=rng.randint(1, 20)))
        referral.submitted_at = submitted
        backdate(case.id, mark, submitted)
        if target == "submitted":
            continue
        decided = min(now, submitted + timedelta(hours=rng.randint(1, 30)))
        mark = last_event_id()
        if target == "rejected":
            referrals.reject(
                referral, manager, "Kasus cukup ditangani dengan pendampingan keluarga."
            )
        elif target == "returned":
            referrals.return_for_changes(
                referral, manager, "Lengkapi kontak keluarga dan jadwal keberangkatan."
            )
        else:
            letter = referrals.approve(
                referral, manager, "Setuju, segera dilaksanakan.", today=decided.date()
            )
            letter.created_at = decided
        referral.decided_at = decided
        backdate(case.id, mark, decided)
        if target in ("completed", "cancelled"):
            done = min(now, decided + timedelta(days=rng.randint(1, 4)))
            mark = last_event_id()
            if target == "completed":
                receiver_institution = referral.receiver_label or "Instansi penerima"
                referrals.complete(
                    referral,
                    worker,
                    referrals.Handover(
                        done.date(),
                        receiver_institution,
                        "Ns. Hasanah, S.Kep.",
                        "Petugas penerima",
                        receiver_institution,
                        "Diterima dalam keadaan baik.",
                    ),
                )
            else:
                referrals.cancel(
                    referral, worker, "Klien meninggalkan shelter sebelum keberangkatan."
                )
            backdate(case.id, mark, done)
    db.session.flush()
    for letter in db.session.scalars(select(Letter).where(Letter.pdf_sha256 == "")):
        letters.archive(letter)  # as the routes do right after approval and handover
    db.session.flush()
