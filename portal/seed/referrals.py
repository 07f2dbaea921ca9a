"""The demo's referrals in every state, with letters numbered from the office's register."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case, Letter, Office, Organisation, Referral
from ..services import addressees, letters, referrals
from ..services.timeutil import local_date
from .cases import ORIGINS
from .common import Demo, backdate, last_event_id

# how far each referral goes: (state, how many)
PLAN = (
    ["completed"] * 6
    + ["approved"] * 10
    + ["submitted"] * 7
    + ["returned"] * 3
    + ["rejected"] * 3
    + ["draft"] * 4
    + ["cancelled"] * 2
)
PLACED_PPKS = ("04", "08", "11", "12")  # children, the elderly, the homeless, beggars


def _rsj(demo: Demo, case: Case, orgs: dict) -> dict:
    return {
        "organisation_id": orgs["rsj"][0].id,
        "medical_referral": True,
        "medical_doctor": "dr. Hasnawati",
        "medical_facility": "Puskesmas Kaluku Bodoa",
        "medical_date": (case.reported_at + timedelta(days=1)).date(),
        "observations": "Bicara sendiri, gelisah malam hari, tidak mengenali tempat dan waktu.",
        "diagnosis": "Suspek gangguan psikotik (F20)",
        "insurance": "kis",
        "insurance_number": f"000{demo.rng.randint(10**9, 10**10 - 1)}",
        "family_status": "not",
        "family_reason": "Keluarga belum ditemukan.",
        "escort": "Tim reaksi cepat Dinsos",
        "transport": "Ambulans Dinsos",
        "planned_date": (case.reported_at + timedelta(days=3)).date(),
    }


def _return_home(demo: Demo, case: Case, orgs: dict) -> dict:
    rng = demo.rng
    destination = case.person.origin_regency_code or "32.73"
    # the receiver: the destination's Dinsos (services.addressees.fill_receiver), named from
    # the demo's own list where the regions are not loaded (tests load a few provinces)
    named = (
        "" if addressees.dinsos_name(destination) else f"Dinas Sosial {dict(ORIGINS)[destination]}"
    )
    return {
        "destination_regency_code": destination,
        "organisation_text": named,
        "family_contact": "Kakak kandung, 0812-4455-6677",
        "route": rng.choice(["direct", "relay"]),
        "transport": rng.choice(["Kapal Pelni", "Bus antarprovinsi", "Pesawat"]),
        "ticket_cost": rng.choice([450000, 850000, 1500000]),
        "pocket_money": 200000,
        "escort": "Andi Rahmat Hidayat",
        "planned_date": (case.reported_at + timedelta(days=2)).date(),
    }


def _placement(demo: Demo, case: Case, orgs: dict) -> dict:
    return {
        "organisation_id": demo.rng.choice(orgs["panti"]).id,
        "programme": "Rehabilitasi sosial dan bimbingan keterampilan",
        "expected_duration": "6 bulan",
        "planned_date": (case.reported_at + timedelta(days=5)).date(),
        "transport": "Mobil Dinsos",
    }


def _service(demo: Demo, case: Case, orgs: dict) -> dict:
    return {
        "organisation_id": orgs["hospital"][-1].id,  # the last one listed
        "purpose": "Pendaftaran BPJS PBI dan pemeriksaan kesehatan di RSUD.",
    }


VALUES = {"rsj": _rsj, "return_home": _return_home, "placement": _placement, "service": _service}
KIND_OF_LOCAL_TYPE = {"ODGJ terlantar": "rsj", "Orang terlantar": "return_home"}


def _kind(case: Case) -> str:
    local = case.local_type.name if case.local_type else ""
    if local in KIND_OF_LOCAL_TYPE:
        return KIND_OF_LOCAL_TYPE[local]
    return "placement" if case.ppks_code in PLACED_PPKS else "service"


def _office_day(referral: Referral, moment) -> date:
    """The office's date of a (UTC) moment of the demo's story: what its letters are dated."""
    return local_date(moment, db.session.get(Office, referral.office_id).timezone)


def _decide(demo: Demo, referral: Referral, target: str, decided) -> None:
    manager = demo.users["manajer"]
    if target == "rejected":
        referrals.reject(referral, manager, "Kasus cukup ditangani dengan pendampingan keluarga.")
    elif target == "returned":
        referrals.return_for_changes(
            referral, manager, "Lengkapi kontak keluarga dan jadwal keberangkatan."
        )
    else:
        letter = referrals.approve(
            referral, manager, "Setuju, segera dilaksanakan.", today=_office_day(referral, decided)
        )
        letter.created_at = decided
    referral.decided_at = decided


def _finish(referral: Referral, worker, target: str, done) -> None:
    if target == "cancelled":
        referrals.cancel(referral, worker, "Klien meninggalkan shelter sebelum keberangkatan.")
        return
    receiver_institution = referral.receiver_label
    handover = referrals.Handover(
        _office_day(referral, done),
        receiver_institution,
        "Ns. Hasanah, S.Kep.",
        "Petugas penerima",
        receiver_institution,
        "Diterima dalam keadaan baik.",
    )
    referrals.complete(referral, worker, handover, today=_office_day(referral, done))


def _seed_referral(demo: Demo, case: Case, target: str, orgs: dict) -> None:
    """One referral taken as far as `target`, each step backdated to when it happened."""
    rng, now, worker = demo.rng, demo.now, case.assigned_to
    kind = _kind(case)
    values = VALUES[kind](demo, case, orgs)
    start = case.reported_at + timedelta(hours=6)
    mark = last_event_id()
    referral = referrals.create(case, worker, kind, values)
    backdate(case.id, mark, start)
    referral.created_at = start
    if target == "draft":
        return
    mark = last_event_id()
    referrals.submit(referral, worker)
    submitted = min(now, start + timedelta(hours=rng.randint(1, 20)))
    referral.submitted_at = submitted
    backdate(case.id, mark, submitted)
    if target == "submitted":
        return
    decided = min(now, submitted + timedelta(hours=rng.randint(1, 30)))
    mark = last_event_id()
    _decide(demo, referral, target, decided)
    backdate(case.id, mark, decided)
    if target in ("completed", "cancelled"):
        done = min(now, decided + timedelta(days=rng.randint(1, 4)))
        mark = last_event_id()
        _finish(referral, worker, target, done)
        backdate(case.id, mark, done)


def seed_referrals(demo: Demo) -> None:
    """Referrals in every state, with letters numbered from the office's register."""
    office = demo.office
    orgs: dict[str, list[Organisation]] = {}
    for o in db.session.scalars(select(Organisation).where(Organisation.office_id == office.id)):
        orgs.setdefault(o.kind, []).append(o)
    cases = list(
        db.session.scalars(
            select(Case)
            .where(Case.office_id == office.id, Case.assigned_to_id.is_not(None))
            .order_by(Case.reported_at)
        )
    )
    pool = cases[-160:]
    plan = PLAN[: len(pool)]  # a small demo (seed-demo --cases 25) gets fewer referrals
    chosen = demo.rng.sample(pool, len(plan))
    chosen.sort(key=lambda c: c.reported_at)
    for case, target in zip(chosen, plan, strict=True):
        _seed_referral(demo, case, target, orgs)
    db.session.flush()
    for letter in db.session.scalars(select(Letter).where(Letter.pdf_sha256 == "")):
        letters.archive(letter)  # as the routes do right after approval and handover
    db.session.flush()


def seed_takeover(demo: Demo) -> None:
    """A colleague took over an RSJ case that `pekerja` registered: pekerja still sees the case
    and its referral, but no longer the health data (the observations and diagnosis, the RSJ
    letter's PDF): services.access.may_see_sensitive."""
    from ..services import cases as case_service

    users = demo.users
    referral = db.session.scalars(
        select(Referral)
        .join(Case, Referral.case_id == Case.id)
        .where(
            Referral.office_id == demo.office.id,
            Referral.kind == "rsj",
            Case.status != "closed",
            Case.created_by_id == users["pekerja"].id,
            Case.assigned_to_id == users["pekerja"].id,
        )
        .order_by(Referral.status.in_(("approved", "completed")).desc(), Referral.id.desc())
    ).first()
    if referral is not None:
        case_service.assign(referral.case, users["manajer"], users["pekerja2"])
