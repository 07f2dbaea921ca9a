"""The demo's people and cases: reported over the last fourteen months, oldest first, by the
office's staff, with notes; and one known look-alike for the duplicate warning."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import CaseEvent, LocalCaseType, Office
from ..models.cases import DISASTER_PPKS
from ..services import cases as case_service
from ..services import intake, regions
from .common import Demo

MEN = [
    "Muhammad",
    "Andi",
    "Ahmad",
    "Abdul",
    "Syamsul",
    "Rahmat",
    "Ilham",
    "Hasanuddin",
    "Baso",
    "Arifin",
    "Jumadi",
    "Sudirman",
    "Irwan",
    "Agus",
    "Budi",
    "Darmawan",
    "Firman",
    "Hamzah",
    "Iskandar",
    "Kamaruddin",
    "Muh.",
    "Nasrullah",
    "Rudi",
    "Syahrul",
    "Yusuf",
    "Zainal",
]
WOMEN = [
    "Sitti",
    "Nurhayati",
    "Andi",
    "Hasnah",
    "Rosmini",
    "Hj. Saenab",
    "Marlina",
    "Nurul",
    "Fatimah",
    "Haslinda",
    "Indah",
    "Kartini",
    "Mariam",
    "Nurjannah",
    "Rahmawati",
    "Sri",
    "Suriani",
    "Wahyuni",
    "Yuliana",
    "Dewi",
]
FAMILY = [
    "Daeng Nai",
    "Rahman",
    "Syarifuddin",
    "Hamid",
    "Latif",
    "Nur",
    "Saleh",
    "Mappiasse",
    "Baharuddin",
    "Ramli",
    "Tahir",
    "Haris",
    "Amir",
    "Sulaiman",
    "Karim",
    "Pabbola",
    "Sanusi",
    "Lawang",
    "Asri",
    "Makkulau",
    "Yunus",
    "Jafar",
]
PLACES = [
    "Pasar Terong",
    "Jl. Perintis Kemerdekaan",
    "Pantai Losari",
    "Terminal Daya",
    "Pelabuhan Soekarno-Hatta",
    "Jl. Urip Sumoharjo",
    "Lapangan Karebosi",
    "Pasar Butung",
    "Jl. AP Pettarani",
    "Masjid Raya Makassar",
    "Flyover Urip",
    "Stasiun Bus Malengkeri",
]
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
ORIGINS = [
    ("32.73", "Kota Bandung"),
    ("35.78", "Kota Surabaya"),
    ("64.71", "Kota Balikpapan"),
    ("74.71", "Kota Kendari"),
    ("76.01", "Kabupaten Majene"),
    ("33.74", "Kota Semarang"),
]


def _nik(rng: random.Random, district: str, birth: date, sex: str) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return (
        district.replace(".", "")
        + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        + f"{rng.randint(1, 9999):04d}"
    )


def _local_types(office: Office) -> dict[str, LocalCaseType]:
    return {
        t.name: t
        for t in db.session.scalars(
            select(LocalCaseType).where(LocalCaseType.office_id == office.id)
        )
    }


def seed_cases(demo: Demo, count: int) -> None:
    office, users, rng, now = demo.office, demo.users, demo.rng, demo.now
    local = _local_types(office)
    districts = [r.code for r in regions.children("73.71")]
    workers = [users["pekerja"], users["pekerja2"]]
    kinds = (
        ["ODGJ terlantar"] * 5
        + ["Orang terlantar"] * 4
        + ["04"] * 4
        + ["08"] * 3
        + ["11"] * 2
        + ["12"] * 2
        + ["21"] * 3
        + ["22"] * 2
        + ["19"]
        + ["24"] * 2
    )
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
            "birth_place": ""
            if unknown
            else rng.choice(["Makassar", "Gowa", "Maros", "Bone", "Takalar"]),
            "street": ""
            if unknown
            else f"Jl. {rng.choice(['Sunu', 'Veteran', 'Kandea', 'Abubakar Lambogo', 'Cendrawasih'])} No. {rng.randint(1, 200)}, RT 00{rng.randint(1, 9)}/RW 00{rng.randint(1, 9)}",
            "province_code": None if unknown else "73",
            "regency_code": None if unknown else "73.71",
            "district_code": None if unknown else district,
            "village_code": None if unknown else village,
            "nik": None if unknown or rng.random() < 0.3 else _nik(rng, district, birth, sex),
            "kk_number": None
            if unknown or rng.random() < 0.5
            else district.replace(".", "") + f"{rng.randint(10**9, 10**10 - 1)}",
            "phone": None
            if unknown or rng.random() < 0.4
            else f"+628{rng.randint(11, 53)}{rng.randint(10**7, 10**8 - 1)}",
            "physical_description": "Laki-laki kurus, rambut gondrong, memakai kaos lusuh; bekas luka di lengan kiri."
            if unknown
            else "",
            "found_place": place if unknown else "",
            "found_at": reported - timedelta(hours=2) if unknown else None,
            "origin_regency_code": origin[0] if origin else None,
        }
        if person_values["nik"] and any(p == person_values["nik"] for p in people):
            person_values["nik"] = None
        people.append(person_values["nik"])
        story_key = kind if kind in STORIES else kind
        story = STORIES.get(story_key, "").format(
            sex="laki-laki" if sex == "L" else "perempuan",
            Sex="Laki-laki" if sex == "L" else "Perempuan",
            place=place,
            origin=origin[1] if origin else "",
        )
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
            "reporter_phone": f"+62852{rng.randint(10**7, 10**8 - 1)}"
            if rng.random() < 0.6
            else "",
            "reported_at": reported,
            "place": place,
            "district_code": district,
            "summary": story,
            "urgency": rng.choice(["normal", "normal", "high", "low", "emergency"]),
        }
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
                )
            )
        if i % 50 == 0:
            db.session.flush()
    db.session.flush()


def seed_lookalike(demo: Demo) -> None:
    """A known look-alike, so typing "Muhammad Joko Susilo" on /cases/new shows the warning."""
    office, users, now = demo.office, demo.users, demo.now
    local = _local_types(office)
    districts = [r.code for r in regions.children("73.71")]
    intake.register(
        office,
        users["pekerja"],
        {
            "identity_known": True,
            "full_name": "Mochammad Djoko Soesilo",
            "sex": "L",
            "birth_date": date(1979, 5, 14),
            "province_code": "73",
            "regency_code": "73.71",
            "district_code": districts[0],
            "nik": "7371011405790003",
            "kk_number": "7371010101090007",
            "origin_regency_code": "35.78",
        },
        {
            "ppks_code": "20",
            "local_type_id": local["Orang terlantar"].id,
            "channel": "police",
            "reported_at": now - timedelta(days=3),
            "place": "Pelabuhan Soekarno-Hatta",
            "district_code": districts[0],
            "urgency": "high",
            "summary": "Perantau asal Surabaya kehabisan ongkos pulang setelah kapal ditunda.",
        },
        now=now - timedelta(days=3),
    )
