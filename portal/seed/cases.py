"""The demo's people and cases: reported over the last fourteen months, oldest first, by the
office's staff, with notes; and one known look-alike for the duplicate warning."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case, CaseEvent, LocalCaseType, Office, User
from ..models.cases import DISASTER_PPKS
from ..services import cases as case_service
from ..services import intake, regions
from .common import Demo

MEN = (
    "Muhammad, Andi, Ahmad, Abdul, Syamsul, Rahmat, Ilham, Hasanuddin, Baso, Arifin, Jumadi, "
    "Sudirman, Irwan, Agus, Budi, Darmawan, Firman, Hamzah, Iskandar, Kamaruddin, Muh., "
    "Nasrullah, Rudi, Syahrul, Yusuf, Zainal"
).split(", ")
WOMEN = (
    "Sitti, Nurhayati, Andi, Hasnah, Rosmini, Hj. Saenab, Marlina, Nurul, Fatimah, Haslinda, "
    "Indah, Kartini, Mariam, Nurjannah, Rahmawati, Sri, Suriani, Wahyuni, Yuliana, Dewi"
).split(", ")
FAMILY = (
    "Daeng Nai, Rahman, Syarifuddin, Hamid, Latif, Nur, Saleh, Mappiasse, Baharuddin, Ramli, "
    "Tahir, Haris, Amir, Sulaiman, Karim, Pabbola, Sanusi, Lawang, Asri, Makkulau, Yunus, "
    "Jafar"
).split(", ")
PLACES = (
    "Pasar Terong, Jl. Perintis Kemerdekaan, Pantai Losari, Terminal Daya, "
    "Pelabuhan Soekarno-Hatta, Jl. Urip Sumoharjo, Lapangan Karebosi, Pasar Butung, "
    "Jl. AP Pettarani, Masjid Raya Makassar, Flyover Urip, Stasiun Bus Malengkeri"
).split(", ")
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
    ("76.01", "Kabupaten Pasangkayu"),
    ("33.74", "Kota Semarang"),
]


KINDS = (
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
AGES = {"04": (6, 15), "08": (62, 85)}  # children, the elderly; everyone else 19..58
BIRTH_PLACES = ["Makassar", "Gowa", "Maros", "Bone", "Takalar"]
STREETS = ["Sunu", "Veteran", "Kandea", "Abubakar Lambogo", "Cendrawasih"]
LOOKS = {  # an unidentified person's descriptions, by the sex recorded (one by the age: no draw)
    "L": (
        "Laki-laki kurus, rambut gondrong, memakai kaos biru lusuh; bekas luka di pelipis kiri.",
        "Laki-laki berambut cepak beruban, kumis tipis, memakai kemeja kotak-kotak merah dan "
        "sarung; sering terlihat mondar-mandir di Pantai Losari.",
        "Laki-laki bertubuh besar, kulit sawo matang, tato jangkar di lengan kanan, memakai "
        "jaket hitam dan celana pendek; jari telunjuk kiri putus.",
        "Laki-laki pendek, rambut gondrong gimbal, tidak memakai alas kaki, kaos biru bergambar "
        "partai; berbicara sendiri dengan bahasa Bugis.",
    ),
    "P": (
        "Perempuan kurus, rambut panjang diikat, memakai daster batik cokelat; tahi lalat di "
        "pipi kanan.",
        "Perempuan berjilbab hijau lusuh, membawa kantong plastik berisi pakaian; bekas luka "
        "bakar di punggung tangan kiri.",
        "Perempuan rambut sebahu beruban, memakai kaos biru dan rok panjang hitam; gigi depan "
        "ompong, sering duduk di dekat Pantai Losari.",
        "Perempuan muda, rambut pendek, memakai kaos kuning dan celana training; bekas luka di "
        "dagu, tidak mau menyebutkan nama.",
    ),
}
CHANNELS = ["residents", "residents", "satpol_pp", "police", "family", "outreach", "hospital"]
URGENCIES = ["normal", "normal", "high", "low", "emergency"]
# The demo's disasters by category (a type that fits it: models.cases.DISASTER_REFUSED), each
# with what the report says happened.
DISASTERS = {
    "21": ("flood", "flood", "whirlwind", "landslide", "flood", "tidal_wave"),
    "22": ("fire", "fire", "conflict", "fire"),
}
DISASTER_STORIES = {
    "flood": "Rumah terendam banjir setinggi 1 meter di kawasan {place}; keluarga mengungsi.",
    "whirlwind": "Atap rumah di {place} terbang diterjang angin puting beliung.",
    "landslide": "Rumah di lereng dekat {place} tertimbun tanah longsor setelah hujan deras.",
    "tidal_wave": "Rumah panggung di pesisir {place} rusak dihantam gelombang pasang.",
    "fire": "Rumah habis terbakar dalam kebakaran permukiman padat dekat {place}.",
    "conflict": "Rumah dirusak saat bentrokan antarwarga di {place}; keluarga mengungsi.",
}
NOTES = [
    "Kunjungan lapangan: kondisi klien stabil, sudah diberi makan dan pakaian bersih.",
    "Koordinasi dengan lurah setempat untuk mencari keluarga klien.",
    "Klien bersedia ditampung sementara di UPTD Rehabilitasi Sosial.",
    "Keluarga dihubungi via telepon, belum ada jawaban.",
    "Asesmen awal selesai; kebutuhan utama: tempat tinggal sementara dan pemeriksaan kesehatan.",
]


@dataclass
class _Subject:
    """Who a demo case is about and where it happened (drawn first, in this order)."""

    kind: str
    sex: str
    name: str
    age: int
    birth: date
    district: str
    village: str | None
    place: str
    unknown: bool  # found without a name (some ODGJ)
    origin: tuple[str, str] | None  # (regency code, name): stranded far from home


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


def _subject(rng: random.Random, now: datetime, districts: list[str]) -> _Subject:
    kind = rng.choice(KINDS)
    sex = rng.choice("LP")
    first = rng.choice(MEN if sex == "L" else WOMEN)
    name = f"{first} {rng.choice(FAMILY)}"
    age = rng.randint(*AGES.get(kind, (19, 58)))
    birth = date(now.year - age, rng.randint(1, 12), rng.randint(1, 28))
    district = rng.choice(districts)
    villages = regions.children(district)
    village = rng.choice(villages).code if villages else None
    place = rng.choice(PLACES)
    unknown = kind == "ODGJ terlantar" and rng.random() < 0.5
    origin = rng.choice(ORIGINS) if kind == "Orang terlantar" else None
    return _Subject(kind, sex, name, age, birth, district, village, place, unknown, origin)


def _unknown_person(s: _Subject, reported: datetime) -> dict:
    """Someone found without a name: described, with no identity data (and no draws)."""
    return {
        "identity_known": False,
        "full_name": "",
        "sex": s.sex,
        "birth_date": None,
        "estimated_age": s.age,
        "birth_place": "",
        "street": "",
        "province_code": None,
        "regency_code": None,
        "district_code": None,
        "village_code": None,
        "nik": None,
        "kk_number": None,
        "phone": None,
        "physical_description": LOOKS[s.sex][s.age % len(LOOKS[s.sex])],
        "found_place": s.place,
        "found_at": reported - timedelta(hours=2),
        "origin_regency_code": s.origin[0] if s.origin else None,
    }


def _known_person(rng: random.Random, s: _Subject) -> dict:
    """Someone with a name and an address; some without a NIK, a KK number or a phone."""
    birth_place = rng.choice(BIRTH_PLACES)
    street = f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}"
    street += f", RT 00{rng.randint(1, 9)}/RW 00{rng.randint(1, 9)}"
    return {
        "identity_known": True,
        "full_name": s.name,
        "sex": s.sex,
        "birth_date": s.birth,
        "estimated_age": None,
        "birth_place": birth_place,
        "street": street,
        "province_code": "73",
        "regency_code": "73.71",
        "district_code": s.district,
        "village_code": s.village,
        "nik": None if rng.random() < 0.3 else _nik(rng, s.district, s.birth, s.sex),
        "kk_number": None
        if rng.random() < 0.5
        else s.district.replace(".", "") + f"{rng.randint(10**9, 10**10 - 1)}",
        "phone": None
        if rng.random() < 0.4
        else f"+628{rng.randint(11, 53)}{rng.randint(10**7, 10**8 - 1)}",
        "physical_description": "",
        "found_place": "",
        "found_at": None,
        "origin_regency_code": s.origin[0] if s.origin else None,
    }


def _story(s: _Subject) -> str:
    male = s.sex == "L"
    return STORIES.get(s.kind, "").format(
        sex="laki-laki" if male else "perempuan",
        Sex="Laki-laki" if male else "Perempuan",
        place=s.place,
        origin=s.origin[1] if s.origin else "",
    )


def _reporter(rng: random.Random, channel: str, district: str) -> str:
    reporters = {  # every channel's name is drawn, whichever is used: the draws stay the same
        "residents": rng.choice(
            ["Pak RT 003 / RW 005", "Ibu Hasnah (warga)", "Daeng Rani (pedagang)"]
        ),
        "satpol_pp": f"Satpol PP Kec. {regions.region_name(district)}",
        "police": rng.choice(["Bripka Syamsuddin (Polsek)", "Aiptu Rahman (Polrestabes)"]),
        "family": rng.choice(["Adik kandung", "Anak", "Kakak ipar"]),
        "outreach": "Tim penjangkauan Dinsos",
        "hospital": "Petugas IGD RSUD Daya",
    }
    return reporters[channel]


def _case_values(rng: random.Random, s: _Subject, local: dict, reported: datetime) -> dict:
    local_type = local.get(s.kind)
    channel = rng.choice(CHANNELS)
    story = _story(s)
    values = {
        "ppks_code": local_type.ppks_code if local_type else s.kind,
        "local_type_id": local_type.id if local_type else None,
        "channel": channel,
        "reporter_name": _reporter(rng, channel, s.district),
        "reporter_phone": f"+62852{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.6 else "",
        "reported_at": reported,
        "place": s.place,
        "district_code": s.district,
        "summary": story,
        "urgency": rng.choice(URGENCIES),
    }
    if values["ppks_code"] in DISASTER_PPKS:  # no rng draw: the rest stays the same
        kinds = DISASTERS[values["ppks_code"]]
        kind = kinds[(len(story) + len(s.place)) % len(kinds)]
        values["disaster_type"] = kind
        values["summary"] = DISASTER_STORIES[kind].format(place=s.place)
        values["household_kk"] = 1 + len(s.place) % 3  # the families the case stands for
        values["household_people"] = values["household_kk"] * 3 + len(story) % 4
        values["event_date"] = reported.date() - timedelta(days=len(s.place) % 3)
        values["event_place"] = s.place[:200]
    return values


def _add_note(demo: Demo, case: Case, author: User, reported: datetime) -> None:
    rng = demo.rng
    created_at = min(demo.now, reported + timedelta(hours=rng.randint(2, 72)))
    db.session.add(
        CaseEvent(
            case_id=case.id,
            kind="note",
            actor_id=author.id,
            created_at=created_at,
            body=rng.choice(NOTES),
        )
    )


def _seed_case(demo: Demo, reported: datetime, districts: list[str], local: dict, niks: list):
    rng, users = demo.rng, demo.users
    workers = [users["pekerja"], users["pekerja2"]]
    s = _subject(rng, demo.now, districts)
    person_values = _unknown_person(s, reported) if s.unknown else _known_person(rng, s)
    if person_values["nik"] in niks:  # drawn twice: the second goes without
        person_values["nik"] = None
    niks.append(person_values["nik"])
    case_values = _case_values(rng, s, local, reported)
    registrar = rng.choice(workers + [users["manajer"]])
    case = intake.register(demo.office, registrar, person_values, case_values, now=reported)
    if registrar.role == "manager" and rng.random() < 0.7:
        case_service.assign(case, users["manajer"], rng.choice(workers))
    if rng.random() < 0.6:
        _add_note(demo, case, case.assigned_to or registrar, reported)


def seed_cases(demo: Demo, count: int) -> None:
    rng, now = demo.rng, demo.now
    local = _local_types(demo.office)
    districts = [r.code for r in regions.children("73.71")]
    niks: list[str | None] = []
    # Reported oldest first, so case numbers follow the calendar as they would in an office.
    moments = sorted(
        now
        - timedelta(days=rng.randint(0, 420), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        for _ in range(count)
    )
    for i, reported in enumerate(moments):
        _seed_case(demo, reported, districts, local, niks)
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
