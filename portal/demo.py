"""Demo data: Dinas Sosial Kota Makassar, lived-in. Only `flask seed-demo` calls this."""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update

from .extensions import db
from .models import Case, CaseEvent, Letter, LocalCaseType, Office, Organisation, User
from .models._base import utcnow
from .models.cases import DISASTER_PPKS
from .services import cases as case_service
from .services import intake, regions

PASSWORD = "demo1234"  # noqa: S105 - demo accounts only, created only by seed-demo

MEN = ["Muhammad", "Andi", "Ahmad", "Abdul", "Syamsul", "Rahmat", "Ilham", "Hasanuddin", "Baso",
       "Arifin", "Jumadi", "Sudirman", "Irwan", "Agus", "Budi", "Darmawan", "Firman", "Hamzah",
       "Iskandar", "Kamaruddin", "Muh.", "Nasrullah", "Rudi", "Syahrul", "Yusuf", "Zainal"]  # fmt: skip
WOMEN = ["Sitti", "Nurhayati", "Andi", "Hasnah", "Rosmini", "Hj. Saenab", "Marlina", "Nurul",
         "Fatimah", "Haslinda", "Indah", "Kartini", "Mariam", "Nurjannah", "Rahmawati", "Sri",
         "Suriani", "Wahyuni", "Yuliana", "Dewi"]  # fmt: skip
FAMILY = ["Daeng Nai", "Rahman", "Syarifuddin", "Hamid", "Latif", "Nur", "Saleh", "Mappiasse",
          "Baharuddin", "Ramli", "Tahir", "Haris", "Amir", "Sulaiman", "Karim", "Pabbola",
          "Sanusi", "Lawang", "Asri", "Makkulau", "Yunus", "Jafar"]  # fmt: skip
PLACES = ["Pasar Terong", "Jl. Perintis Kemerdekaan", "Pantai Losari", "Terminal Daya",
          "Pelabuhan Soekarno-Hatta", "Jl. Urip Sumoharjo", "Lapangan Karebosi", "Pasar Butung",
          "Jl. AP Pettarani", "Masjid Raya Makassar", "Flyover Urip", "Stasiun Bus Malengkeri"]  # fmt: skip
STORIES = {
    "ODGJ terlantar": "Warga melaporkan seorang {sex} berbicara sendiri dan tidur di emperan toko "
    "di sekitar {place} selama beberapa hari. Kondisi badan kotor, tidak bisa menyebutkan alamat.",
    "Orang terlantar": "{Sex} asal {origin} kehabisan bekal setelah ditipu calon majikan; "
    "menginap di {place} dan meminta bantuan untuk pulang ke daerah asal.",
    "04": "Anak usia sekolah ditemukan mengamen di lampu merah {place} hingga larut malam. "
    "Orang tua bekerja sebagai pemulung.",
    "08": "Lansia tinggal sendiri di rumah semi permanen, tidak ada keluarga yang merawat. "
    "Tetangga melaporkan kesulitan makan sehari-hari.",
    "11": "{Sex} tanpa tempat tinggal tetap, tidur di {place}. Terjaring razia Satpol PP.",
    "12": "{Sex} mengemis di {place} bersama anak kecil. Terjaring razia gabungan.",
    "21": "Rumah terendam banjir setinggi 1 meter di kawasan {place}; keluarga mengungsi ke posko.",
    "22": "Rumah habis terbakar dalam kebakaran permukiman padat dekat {place}.",
    "19": "{Sex} mengalami kekerasan dalam rumah tangga, dirujuk oleh kepolisian untuk pendampingan.",
    "24": "Keluarga miskin dengan empat anak, kepala keluarga sakit dan tidak bekerja.",
}
ORIGINS = [("32.73", "Kota Bandung"), ("35.78", "Kota Surabaya"), ("64.71", "Kota Balikpapan"),
           ("74.71", "Kota Kendari"), ("76.01", "Kabupaten Majene"), ("33.74", "Kota Semarang")]  # fmt: skip


def _users(office: Office) -> dict[str, User]:
    people = [
        ("pekerja", "Nurul Hidayah, S.Sos.", "worker", "Pekerja Sosial Ahli Pertama", "199203152019032012"),
        ("pekerja2", "Andi Rahmat Hidayat, S.Tr.Sos.", "worker", "Pekerja Sosial Terampil", "199508112020121003"),
        ("manajer", "Drs. Muhammad Syarif Daeng Ngalle", "manager",
         "Kepala Bidang Rehabilitasi Sosial", "197406121999031004"),
        ("admin", "Rina Kartika, S.Kom.", "admin", "Pranata Komputer", "198811202014022001"),
    ]  # fmt: skip
    users = {}
    for username, full_name, role, position, nip in people:
        user = User(
            office_id=office.id, username=username, full_name=full_name, role=role,
            position=position, nip=nip, email=f"{username}@dinsos.makassarkota.go.id",
        )  # fmt: skip
        user.set_password(PASSWORD)
        db.session.add(user)
        users[username] = user
    db.session.flush()
    return users


def _organisations(office: Office) -> None:
    partners = [
        ("RSJ Dadi Makassar", "rsj", "Jl. Lanto Daeng Pasewang No. 34, Makassar", "73.71", "0411-873120"),
        ("RSJ Atma Husada Mahakam Samarinda", "rsj", "Jl. Kakap No. 23, Samarinda", "64.72", "0541-741033"),
        ("UPTD Rehabilitasi Sosial Kota Makassar", "panti", "Jl. Kapasa Raya, Makassar", "73.71", ""),
        ("UPTD RPTC Dinas Sosial Kota Makassar", "panti", "Jl. Sunu, Makassar", "73.71", ""),
        ("Balai Rehabilitasi Sosial Lansia Gau Mabaji Gowa", "panti", "Jl. Poros Malino, Gowa", "73.06", ""),
        ("Dinas Sosial Kota Bandung", "dinsos", "Jl. Sindangsirna No. 40, Bandung", "32.73", "022-2011812"),
        ("Dinas Sosial Kota Surabaya", "dinsos", "Jl. Arief Rachman Hakim No. 131, Surabaya", "35.78", ""),
        ("Dinas Sosial Provinsi Sulawesi Selatan", "dinsos", "Jl. AP Pettarani No. 59, Makassar", "73.71", ""),
        ("Dinas Sosial Kota Kendari", "dinsos", "Jl. Drs. H. Abdullah Silondae, Kendari", "74.71", ""),
        ("RSUD Daya Kota Makassar", "hospital", "Jl. Perintis Kemerdekaan Km. 14, Makassar", "73.71", ""),
        ("Puskesmas Kaluku Bodoa", "puskesmas", "Jl. Kaluku Bodoa, Makassar", "73.71", ""),
        ("Polrestabes Makassar", "police", "Jl. Jenderal Ahmad Yani No. 9, Makassar", "73.71", "110"),
    ]  # fmt: skip
    for name, kind, address, region, phone in partners:
        db.session.add(
            Organisation(
                office_id=office.id,
                name=name,
                kind=kind,
                address=address,
                region_code=region,
                phone=phone,
            )  # fmt: skip
        )


def _nik(rng: random.Random, district: str, birth: date, sex: str) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return (
        district.replace(".", "")
        + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        + f"{rng.randint(1, 9999):04d}"
    )


def seed_demo(count: int = 300, seed: int = 20261123) -> None:
    from .cli import create_office

    rng = random.Random(seed)
    office = create_office(
        "makassar",
        "Dinas Sosial Kota Makassar",
        government_line="PEMERINTAH KOTA MAKASSAR",
        city="Makassar",
        region_code="73.71",
        address="Jl. Arief Rate No. 1, Kelurahan Ujung Pandang Baru, Makassar 90111",
        phone="(0411) 3615282",
        email="dinsos@makassarkota.go.id",
        website="dinsos.makassarkota.go.id",
        timezone="Asia/Makassar",
        head_title="Kepala Dinas Sosial Kota Makassar",
        head_name="Drs. H. Andi Bakti Mappaewa, M.Si.",
        head_rank="Pembina Utama Muda (IV/c)",
        head_nip="196803041990031005",
        signing_mode="head",
        logo=demo_logo(),
        logo_mimetype="image/png",
    )
    other = create_office(
        "balikpapan", "Dinas Sosial Kota Balikpapan", government_line="PEMERINTAH KOTA BALIKPAPAN",
        city="Balikpapan", region_code="64.71", timezone="Asia/Makassar",
    )  # fmt: skip
    users = _users(office)
    bpp = User(office_id=other.id, username="balikpapan", full_name="Siti Aminah", role="manager")
    bpp.set_password(PASSWORD)
    db.session.add(bpp)
    _organisations(office)
    db.session.flush()
    local = {
        t.name: t
        for t in db.session.scalars(
            select(LocalCaseType).where(LocalCaseType.office_id == office.id)
        )
    }
    districts = [r.code for r in regions.children("73.71")]
    workers = [users["pekerja"], users["pekerja2"]]
    kinds = (["ODGJ terlantar"] * 5 + ["Orang terlantar"] * 4 + ["04"] * 4 + ["08"] * 3 + ["11"] * 2
             + ["12"] * 2 + ["21"] * 3 + ["22"] * 2 + ["19"] + ["24"] * 2)  # fmt: skip
    now = utcnow()
    people = []
    # Reported oldest first, so case numbers follow the calendar as they would in an office.
    moments = sorted(
        now
        - timedelta(days=rng.randint(0, 420), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        for _ in range(count)
    )
    for i, reported in enumerate(moments):
        kind = rng.choice(kinds)
        sex = rng.choice("LP")
        first = rng.choice(MEN if sex == "L" else WOMEN)
        name = f"{first} {rng.choice(FAMILY)}"
        age = (
            rng.randint(6, 15)
            if kind == "04"
            else rng.randint(62, 85)
            if kind == "08"
            else rng.randint(19, 58)
        )
        birth = date(now.year - age, rng.randint(1, 12), rng.randint(1, 28))
        district = rng.choice(districts)
        villages = regions.children(district)
        village = rng.choice(villages).code if villages else None
        place = rng.choice(PLACES)
        unknown = kind == "ODGJ terlantar" and rng.random() < 0.5
        origin = rng.choice(ORIGINS) if kind == "Orang terlantar" else None
        person_values = {
            "identity_known": not unknown,
            "full_name": "" if unknown else name,
            "sex": sex,
            "birth_date": None if unknown else birth,
            "estimated_age": age if unknown else None,
            "birth_place": "" if unknown else rng.choice(["Makassar", "Gowa", "Maros", "Bone", "Takalar"]),
            "street": "" if unknown else f"Jl. {rng.choice(['Sunu', 'Veteran', 'Kandea', 'Abubakar Lambogo', 'Cendrawasih'])} No. {rng.randint(1, 200)}, RT 00{rng.randint(1, 9)}/RW 00{rng.randint(1, 9)}",
            "province_code": None if unknown else "73",
            "regency_code": None if unknown else "73.71",
            "district_code": None if unknown else district,
            "village_code": None if unknown else village,
            "nik": None if unknown or rng.random() < 0.3 else _nik(rng, district, birth, sex),
            "kk_number": None if unknown or rng.random() < 0.5 else district.replace(".", "") + f"{rng.randint(10**9, 10**10 - 1)}",
            "phone": None if unknown or rng.random() < 0.4 else f"+628{rng.randint(11, 53)}{rng.randint(10**7, 10**8 - 1)}",
            "physical_description": "Laki-laki kurus, rambut gondrong, memakai kaos lusuh; bekas luka di lengan kiri." if unknown else "",
            "found_place": place if unknown else "",
            "found_at": reported - timedelta(hours=2) if unknown else None,
            "origin_regency_code": origin[0] if origin else None,
        }  # fmt: skip
        if person_values["nik"] and any(p == person_values["nik"] for p in people):
            person_values["nik"] = None
        people.append(person_values["nik"])
        story_key = kind if kind in STORIES else kind
        story = STORIES.get(story_key, "").format(
            sex="laki-laki" if sex == "L" else "perempuan", Sex="Laki-laki" if sex == "L" else "Perempuan",
            place=place, origin=origin[1] if origin else "",
        )  # fmt: skip
        channel = rng.choice(
            ["residents", "residents", "satpol_pp", "police", "family", "outreach", "hospital"]
        )
        reporter = {
            "residents": rng.choice(
                ["Pak RT 003 / RW 005", "Ibu Hasnah (warga)", "Daeng Rani (pedagang)"]
            ),
            "satpol_pp": f"Satpol PP Kec. {regions.region_name(district)}",
            "police": rng.choice(["Bripka Syamsuddin (Polsek)", "Aiptu Rahman (Polrestabes)"]),
            "family": rng.choice(["Adik kandung", "Anak", "Kakak ipar"]),
            "outreach": "Tim penjangkauan Dinsos",
            "hospital": "Petugas IGD RSUD Daya",
        }[channel]
        case_values = {
            "ppks_code": local[kind].ppks_code if kind in local else kind,
            "local_type_id": local[kind].id if kind in local else None,
            "channel": channel,
            "reporter_name": reporter,
            "reporter_phone": f"+62852{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.6 else "",
            "reported_at": reported,
            "place": place,
            "district_code": district,
            "summary": story,
            "urgency": rng.choice(["normal", "normal", "high", "low", "emergency"]),
        }  # fmt: skip
        if case_values["ppks_code"] in DISASTER_PPKS:  # no rng draw: the rest stays the same
            types = ("flood", "flood", "fire", "whirlwind", "landslide", "fire", "flood", "other")
            case_values["disaster_type"] = types[len(story) % len(types)]
            case_values["event_date"] = reported.date() - timedelta(days=len(place) % 3)
            case_values["event_place"] = place[:200]
        registrar = rng.choice(workers + [users["manajer"]])
        case = intake.register(office, registrar, person_values, case_values, now=reported)
        if registrar.role == "manager" and rng.random() < 0.7:
            case_service.assign(case, users["manajer"], rng.choice(workers))
        if rng.random() < 0.6:
            author = case.assigned_to or registrar
            db.session.add(
                CaseEvent(
                    case_id=case.id,
                    kind="note",
                    actor_id=author.id,
                    created_at=min(now, reported + timedelta(hours=rng.randint(2, 72))),
                    body=rng.choice(
                        [
                            "Kunjungan lapangan: kondisi klien stabil, sudah diberi makan dan pakaian bersih.",
                            "Koordinasi dengan lurah setempat untuk mencari keluarga klien.",
                            "Klien bersedia ditampung sementara di UPTD Rehabilitasi Sosial.",
                            "Keluarga dihubungi via telepon, belum ada jawaban.",
                            "Asesmen awal selesai; kebutuhan utama: tempat tinggal sementara dan pemeriksaan kesehatan.",
                        ]
                    ),
                )  # fmt: skip
            )
        if i % 50 == 0:
            db.session.flush()
    db.session.flush()
    _referrals(office, users, rng, now)
    _followups_aid_closures(office, users, rng, now)
    # A known look-alike, so typing "Muhammad Joko Susilo" on /cases/new shows the warning.
    intake.register(
        office, users["pekerja"],
        {"identity_known": True, "full_name": "Mochammad Djoko Soesilo", "sex": "L",
         "birth_date": date(1979, 5, 14), "province_code": "73", "regency_code": "73.71",
         "district_code": districts[0], "nik": "7371011405790003", "kk_number": "7371010101090007",
         "origin_regency_code": "35.78"},
        {"ppks_code": "20", "local_type_id": local["Orang terlantar"].id, "channel": "police",
         "reported_at": now - timedelta(days=3), "place": "Pelabuhan Soekarno-Hatta",
         "district_code": districts[0], "urgency": "high",
         "summary": "Perantau asal Surabaya kehabisan ongkos pulang setelah kapal ditunda."},
        now=now - timedelta(days=3),
    )  # fmt: skip
    db.session.commit()


def _backdate(case_id: int, after_event_id: int, when) -> None:
    """Timeline entries written by a workflow step get the moment the step happened."""
    db.session.execute(
        update(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.id > after_event_id)
        .values(created_at=when)
    )


def _last_event_id() -> int:
    return db.session.scalar(select(func.max(CaseEvent.id))) or 0


def _referrals(office: Office, users: dict[str, User], rng: random.Random, now) -> None:
    """Referrals in every state, with letters numbered from the office's register."""
    from .services import letters, referrals

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
    plan = (["completed"] * 6 + ["approved"] * 10 + ["submitted"] * 7 + ["returned"] * 3
            + ["rejected"] * 3 + ["draft"] * 4 + ["cancelled"] * 2)  # fmt: skip
    pool = cases[-160:]
    plan = plan[: len(pool)]  # a small demo (seed-demo --cases 25) gets fewer referrals
    chosen = rng.sample(pool, len(plan))
    chosen.sort(key=lambda c: c.reported_at)
    for case, target in zip(chosen, plan, strict=True):
        worker = case.assigned_to
        local = case.local_type.name if case.local_type else ""
        if local == "ODGJ terlantar":
            kind, values = "rsj", {
                "organisation_id": by_kind["rsj"][0].id, "medical_referral": True,
                "medical_doctor": "dr. Hasnawati", "medical_facility": "Puskesmas Kaluku Bodoa",
                "medical_date": (case.reported_at + timedelta(days=1)).date(),
                "observations": "Bicara sendiri, gelisah malam hari, tidak mengenali tempat dan waktu.",
                "diagnosis": "Suspek gangguan psikotik (F20)", "insurance": "kis",
                "insurance_number": f"000{rng.randint(10**9, 10**10 - 1)}", "family_status": "not",
                "family_reason": "Keluarga belum ditemukan.", "escort": "Tim reaksi cepat Dinsos",
                "transport": "Ambulans Dinsos", "planned_date": (case.reported_at + timedelta(days=3)).date(),
            }  # fmt: skip
        elif local == "Orang terlantar":
            destination = case.person.origin_regency_code or "32.73"
            receiver = next((o for o in by_kind["dinsos"] if o.region_code == destination), None)
            kind, values = "return_home", {
                "destination_regency_code": destination,
                "organisation_id": receiver.id if receiver else None,
                "organisation_text": "" if receiver else "Dinas Sosial daerah asal",
                "family_contact": "Kakak kandung, 0812-4455-6677", "route": rng.choice(["direct", "relay"]),
                "transport": rng.choice(["Kapal Pelni", "Bus antarprovinsi", "Pesawat"]),
                "ticket_cost": rng.choice([450000, 850000, 1500000]), "pocket_money": 200000,
                "escort": "Andi Rahmat Hidayat", "planned_date": (case.reported_at + timedelta(days=2)).date(),
            }  # fmt: skip
        elif case.ppks_code in ("04", "08", "11", "12"):
            kind, values = "placement", {
                "organisation_id": rng.choice(by_kind["panti"]).id,
                "programme": "Rehabilitasi sosial dan bimbingan keterampilan", "expected_duration": "6 bulan",
                "planned_date": (case.reported_at + timedelta(days=5)).date(), "transport": "Mobil Dinsos",
            }  # fmt: skip
        else:
            kind, values = (
                "service",
                {
                    "organisation_id": orgs["hospital"].id,
                    "purpose": "Pendaftaran BPJS PBI dan pemeriksaan kesehatan di RSUD.",
                },
            )
        start = case.reported_at + timedelta(hours=6)
        mark = _last_event_id()
        referral = referrals.create(case, worker, kind, values)
        _backdate(case.id, mark, start)
        referral.created_at = start
        if target == "draft":
            continue
        mark = _last_event_id()
        referrals.submit(referral, worker)
        submitted = min(now, start + timedelta(hours=rng.randint(1, 20)))
        referral.submitted_at = submitted
        _backdate(case.id, mark, submitted)
        if target == "submitted":
            continue
        decided = min(now, submitted + timedelta(hours=rng.randint(1, 30)))
        mark = _last_event_id()
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
        _backdate(case.id, mark, decided)
        if target in ("completed", "cancelled"):
            done = min(now, decided + timedelta(days=rng.randint(1, 4)))
            mark = _last_event_id()
            if target == "completed":
                receiver_institution = referral.receiver_label or "Instansi penerima"
                referrals.complete(
                    referral, worker,
                    referrals.Handover(done.date(), receiver_institution, "Ns. Hasanah, S.Kep.",
                                       "Petugas penerima", receiver_institution, "Diterima dalam keadaan baik."),
                )  # fmt: skip
            else:
                referrals.cancel(
                    referral, worker, "Klien meninggalkan shelter sebelum keberangkatan."
                )
            _backdate(case.id, mark, done)
    db.session.flush()
    for letter in db.session.scalars(select(Letter).where(Letter.pdf_sha256 == "")):
        letters.archive(letter)  # as the routes do right after approval and handover
    db.session.flush()


def demo_logo() -> bytes:
    """A plain emblem for the demo kop surat (a real office uploads its own regional logo)."""
    import io

    from PIL import Image, ImageDraw

    size = 240
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(20, 20), (220, 20), (220, 130), (120, 225), (20, 130)],
        fill=(15, 92, 77),
        outline=(200, 160, 40),
    )
    draw.polygon(
        [(40, 40), (200, 40), (200, 122), (120, 198), (40, 122)], outline=(240, 200, 60), width=6
    )
    draw.ellipse([(85, 60), (155, 130)], fill=(240, 200, 60))
    draw.rectangle([(70, 140), (170, 152)], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


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
AID_PLAN = {  # case type -> (kind, quantity, unit, amount in Rupiah)
    "Orang terlantar": [("transport_ticket", 1, "tiket", 850000), ("pocket_money", None, "", 200000),
                        ("food", 2, "paket", None)],
    "ODGJ terlantar": [("clothing", 2, "pasang", None), ("medical_cost", None, "", 350000),
                       ("psychosocial", 3, "sesi", None)],
    "21": [("food", 5, "paket", None), ("shelter_kit", 1, "set", 750000), ("clothing", 4, "pasang", None)],
    "22": [("food", 3, "paket", None), ("shelter_kit", 1, "set", 750000), ("other", 1, "paket", 150000)],
    "08": [("food", 10, "kg", None), ("other", 1, "kasur", 400000)],
    "04": [("clothing", 2, "pasang", None), ("psychosocial", 2, "sesi", None)],
}  # fmt: skip
CLOSURE_SUMMARIES = {
    "returned_family": "Klien dijemput keluarga setelah asesmen; keluarga bersedia merawat.",
    "returned_origin": "Klien dipulangkan ke daerah asal dan diterima Dinas Sosial setempat.",
    "placed": "Klien ditempatkan di UPTD untuk rehabilitasi sosial jangka panjang.",
    "recovered": "Klien pulih, sudah bekerja dan tinggal di kos sendiri.",
    "referred_agency": "Penanganan dilanjutkan oleh lembaga perlindungan anak.",
    "lost_contact": "Klien meninggalkan shelter dan tidak dapat dihubungi lagi.",
    "died": "Klien meninggal dunia di RSUD; dimakamkan oleh keluarga.",
}


@contextmanager
def _backdated(case: Case, when):
    """Timeline entries written inside get the moment the step happened."""
    mark = _last_event_id()
    yield
    db.session.flush()
    _backdate(case.id, mark, when)


def _followups_aid_closures(office: Office, users: dict[str, User], rng: random.Random, now):
    """Follow-ups due, overdue and done; aid given; closures waiting, approved and returned;
    one case reopened. Every step goes through the services and is backdated afterwards."""
    from .models import Referral
    from .services import aid as aid_service
    from .services import closure, followups
    from .services.timeutil import local_to_utc, local_today

    today = local_today(office.timezone)
    manager = users["manajer"]

    def at(day: date):  # a moment of office hours that (local) day, as naive UTC, not future
        moment = datetime.combine(day, time(8 + rng.randint(0, 7), rng.randint(0, 59)))
        return min(now, local_to_utc(moment, office.timezone))

    # The follow-up each completed referral proposes: scheduled, and mostly done once due.
    completed = db.session.scalars(
        select(Referral)
        .where(Referral.office_id == office.id, Referral.status == "completed")
        .order_by(Referral.id)
    ).all()
    proposed = [
        r for r in completed if r.case.assigned_to and followups.proposal_for(r, office, [], today)
    ]
    for referral in proposed[:-1]:  # the newest proposal stays open: one click on its case
        case, handed = referral.case, referral.handover_date or today
        proposal = followups.proposal_for(referral, office, [], handed)
        worker = case.assigned_to
        with _backdated(case, at(handed)):
            followup = followups.schedule(
                case, worker, kind=proposal.kind, due_date=proposal.due_date,
                assigned_to=worker, purpose=proposal.purpose, referral=referral, today=today,
            )  # fmt: skip
        if proposal.due_date < today - timedelta(days=3) and rng.random() < 0.7:
            done_on = min(today, proposal.due_date + timedelta(days=rng.randint(0, 2)))
            outcome = followups.Outcome(
                "done", done_on, rng.choice(FINDINGS), "Pantau lewat telepon bulan depan."
            )
            with _backdated(case, at(done_on)):
                followups.record_outcome(followup, worker, outcome, today=today)

    # Follow-ups on recent active cases: some overdue, some due today or this week, some later;
    # past ones mostly done or not reached.
    recent = db.session.scalars(
        select(Case)
        .where(
            Case.office_id == office.id,
            Case.status.in_(("in_progress", "referred")),
            Case.assigned_to_id.is_not(None),
            Case.reported_at >= now - timedelta(days=90),
        )
        .order_by(Case.reported_at)
    ).all()
    offsets = [-15, -9, -6, -4, -3, -2, -1, 0, 0, 1, 2, 3, 5, 8, 12, 20, 30]
    for case in rng.sample(recent, min(len(recent), 45)):
        worker, kind = case.assigned_to, rng.choice(list(PURPOSES))
        due = today + timedelta(days=rng.choice(offsets))
        if due < case.reported_at.date():
            due = today + timedelta(days=rng.randint(0, 10))
        created = max(case.reported_at.date(), due - timedelta(days=rng.randint(3, 14)))
        with _backdated(case, at(min(created, today))):
            followup = followups.schedule(
                case, worker, kind=kind, due_date=due, assigned_to=worker,
                purpose=PURPOSES[kind], today=today,
            )  # fmt: skip
        if due >= today - timedelta(days=1):
            continue
        roll = rng.random()
        if roll < 0.45:
            outcome = followups.Outcome(
                "done", due, rng.choice(FINDINGS), "Kunjungan ulang bulan depan."
            )
        elif roll < 0.6:
            outcome = followups.Outcome(
                "not_reached", due, reason="Rumah terkunci; tetangga belum melihat klien."
            )
        else:
            continue  # left open: overdue on /tasks
        with _backdated(case, at(due)):
            followups.record_outcome(followup, worker, outcome, today=today)

    # The demo login "pekerja" always has something overdue and something due today.
    own = [c for c in recent if c.assigned_to_id == users["pekerja"].id]
    for case, days in zip(own[-3:], (-4, -2, 0), strict=False):
        due = today + timedelta(days=days)
        with _backdated(case, at(max(case.reported_at.date(), due - timedelta(days=7)))):
            followups.schedule(
                case, case.assigned_to, kind="home_visit", due_date=due,
                assigned_to=case.assigned_to, purpose=PURPOSES["home_visit"], today=today,
            )  # fmt: skip

    # Aid given, by case type.
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
            values = {"kind": kind, "quantity": quantity, "unit": unit, "amount": amount,
                      "given_on": given, "given_by": giver.full_name, "note": ""}  # fmt: skip
            with _backdated(case, at(given)):
                aid_service.record_aid(case, giver, values)

    # Closures: the oldest settled cases are closed (one of them reopened later, two returned
    # to the worker); the newest settled cases wait for the manager.
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
    reasons = ["returned_family", "returned_family", "returned_origin", "placed", "recovered",
               "referred_agency", "lost_contact", "died"]  # fmt: skip
    plan = ["approved"] * 30 + ["closed"] * 6 + ["reopened"] + ["returned"] * 2
    for case, target in zip(settled, plan, strict=False):
        worker, reason = case.assigned_to, rng.choice(reasons)
        closed_on = min(today, case.reported_at.date() + timedelta(days=rng.randint(10, 60)))
        decided_on = min(today, closed_on + timedelta(days=rng.randint(0, 3)))
        requester = manager if target == "closed" else worker  # a manager closes at once
        requested = at(closed_on)
        decided = min(now, max(at(decided_on), requested + timedelta(hours=2)))
        with _backdated(case, requested):
            item = closure.request(
                case, requester, reason=reason, closed_on=closed_on,
                summary=CLOSURE_SUMMARIES[reason],
            )  # fmt: skip
        item.requested_at = requested
        with _backdated(case, decided):
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
            with _backdated(case, now):
                closure.reopen(
                    case, worker, "Klien kembali ditemukan di jalan; perlu ditangani lagi."
                )
    for case in [c for c in reversed(settled[len(plan) :]) if closable(c)][:4]:
        reason = rng.choice(reasons[:5])
        closed_on = max(case.reported_at.date(), today - timedelta(days=rng.randint(0, 3)))
        requested = at(closed_on)
        with _backdated(case, requested):
            item = closure.request(
                case, case.assigned_to, reason=reason, closed_on=closed_on,
                summary=CLOSURE_SUMMARIES[reason],
            )  # fmt: skip
        item.requested_at = requested
    db.session.flush()
