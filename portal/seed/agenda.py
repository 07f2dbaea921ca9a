"""Balikpapan, the demo's second office, keeps its outgoing letters in the city's central agenda
(SRIKANDI): its letters are numbered by the manager from that agenda. One RSJ referral was
approved with the agenda's number; a second waits for its number on the letters page (log in
as `balikpapan`). Its letters print on A4 at 12 pt with Tata Naskah Dinas margins."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Letter, Office, Organisation, User
from ..services import consent, intake, letters, referrals
from ..services.letter_numbers import ROMAN
from ..services.timeutil import office_today
from .common import PASSWORD
from .consent import VITAL

PEOPLE = (
    ("Laki-laki sekitar 35 tahun, rambut cepak, kaos hitam, celana jeans sobek.", "L", 35,
     "Terminal Batu Ampar"),
    ("Perempuan sekitar 50 tahun, rambut panjang beruban, daster batik cokelat.", "P", 50,
     "Pasar Pandansari"),
)  # fmt: skip


def _settings(office: Office) -> None:
    office.letter_numbering = "agenda"
    office.letter_number_template = "{klasifikasi}/{nomor}/DSPM/{bulan_romawi}/{tahun}"
    office.paper_size = "A4"
    office.letter_font_size = 12.0
    office.letter_margin_top, office.letter_margin_right = 20, 20
    office.letter_margin_bottom, office.letter_margin_left = 25, 30
    office.letter_sifat = {"rujukan_rsj": "Terbatas"}
    office.address = "Jl. Jenderal Sudirman No. 1, Balikpapan 76114"
    office.head_title = "Kepala Dinas Sosial Kota Balikpapan"
    office.head_name = "Dra. Hj. Nursyamsiarni D. Larose, M.Si."
    office.head_rank = "Pembina Utama Muda (IV/c)"
    office.head_nip = "196905121990032004"


def seed_agenda_office(office: Office, now: datetime) -> None:
    _settings(office)
    manager = db.session.query(User).filter_by(office_id=office.id, role="manager").first()
    worker = User(
        office_id=office.id, username="pekerja_bpp", full_name="Rahmat Hidayat", role="worker"
    )
    worker.set_password(PASSWORD)
    rsj = Organisation(
        office_id=office.id,
        name="RSJD Atma Husada Mahakam Samarinda",
        kind="rsj",
        address="Jl. Kakap No. 23, Samarinda",
        region_code="64.72",
    )
    db.session.add_all([worker, rsj])
    db.session.flush()
    today = office_today(office)
    for i, (looks, sex, age, place) in enumerate(PEOPLE):
        reported = now - timedelta(days=3 - i)
        person = {"identity_known": False, "full_name": "", "sex": sex, "estimated_age": age,
                  "physical_description": looks, "found_place": place,
                  "found_at": reported - timedelta(hours=2)}  # fmt: skip
        case = intake.register(
            office, worker, person,
            {"ppks_code": "09", "channel": "satpol_pp", "reported_at": reported,
             "place": place, "summary": f"ODGJ ditemukan di {place}.", "urgency": "high"},
            now=reported,
        )  # fmt: skip
        consent.record_basis(case, worker, {"basis": "vital_interest", "note": VITAL})
        referral = referrals.create(case, worker, "rsj", _rsj_values(rsj, today))
        referrals.submit(referral, worker)
        # the first was numbered by the agenda on approval; the second still waits for it
        number = f"400.9.3/412/DSPM/{ROMAN[today.month - 1]}/{today.year}" if i == 0 else ""
        referrals.approve(
            referral, manager, "Setuju.", today=today, numbers={"rujukan_rsj": number}
        )
    db.session.flush()
    numbered = select(Letter).where(Letter.office_id == office.id, Letter.number.is_not(None))
    for letter in db.session.scalars(numbered):
        letters.archive(letter)  # as after the approval's commit


def _rsj_values(rsj: Organisation, today) -> dict:
    return {
        "organisation_id": rsj.id,
        "medical_referral": False,
        "observations": "Bicara sendiri, tidak mengenali tempat dan waktu.",
        "insurance": "none",
        "family_status": "not",
        "family_reason": "Keluarga belum ditemukan.",
        "escort": "Tim reaksi cepat Dinsos Balikpapan",
        "transport": "Ambulans Dinsos",
        "planned_date": today + timedelta(days=1),
    }
