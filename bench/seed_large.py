"""Build a large benchmark database: one office (Dinas Sosial Kota Makassar) with N cases.

    .venv/bin/python bench/seed_large.py                      # 500,000 cases into bench/bench.db
    .venv/bin/python bench/seed_large.py --cases 50000
    .venv/bin/python bench/seed_large.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/simpul_bench

The database is always built from scratch: the SQLite file is replaced, the PostgreSQL database
is dropped and created again. The schema comes from the migrations (`flask db upgrade`); the rows
are bulk-inserted with Core `insert()` executemany in batches, not through the ORM unit of work.
Search tokens come from `portal.services.search.tokens_for`, name keys from
`portal.services.names.name_key`, so search and duplicate checks work as on real data.

Logins (password `bench1234`): manajer1..manajer3 (managers), pekerja01..pekerja40 (workers).
The same --cases and --seed give the same people, cases and timelines; the three years end at
the moment of seeding. Only an empty database or one this script built is replaced (a
reference_data row "bench_seed" marks it), unless --replace is given.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import random
import sys
import time
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, inspect, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'bench.db'}"
PASSWORD = "bench1234"
OFFICE_CODE = "makassar"
WORKERS = 40
MANAGERS = 3
BATCH = 10_000  # cases per transaction

# --- names -----------------------------------------------------------------------------------
# Weighted pools; the weights make a few names very common and leave a long tail of rare ones.
MUHAMMAD = [("Muhammad", 40), ("Muh.", 14), ("Moh.", 6), ("M.", 10), ("Muhamad", 5),
            ("Mohammad", 5), ("Mochammad", 3), ("Mohamad", 3), ("Moch.", 2), ("Mhd.", 1)]  # fmt: skip
MEN = ["Andi", "Ahmad", "Abdul", "Syamsul", "Rahmat", "Ilham", "Hasanuddin", "Baso", "Arifin",
       "Jumadi", "Sudirman", "Irwan", "Agus", "Budi", "Darmawan", "Firman", "Hamzah", "Iskandar",
       "Kamaruddin", "Nasrullah", "Rudi", "Syahrul", "Yusuf", "Zainal", "Bambang", "Joko", "Slamet",
       "Eko", "Dedi", "Hendra", "Wahyu", "Rizky", "Fajar", "Aldi", "Reza", "Dimas", "Arif", "Hasan",
       "Husain", "Ismail", "Ridwan", "Saiful", "Taufik", "Umar", "Usman", "Wawan", "Yudi", "Anwar",
       "Amiruddin", "Nurdin", "Jamaluddin", "Syahrir", "Sangkala", "Herman", "Suardi", "Haeruddin",
       "Mansyur", "Asri", "Akbar", "Alimuddin", "Basri", "Darwis", "Fahri", "Gunawan", "Hamka",
       "Idris", "Jufri", "Kaharuddin", "Lukman", "Mursalim", "Natsir", "Rusli", "Sainal",
       "Tajuddin", "Yunus", "Zulkifli", "Djoko", "Soekarno", "Tjahjo", "Krisna", "Yohanis",
       "Markus", "Petrus", "Daniel", "Yosef"]  # fmt: skip
WOMEN = ["Sitti", "Siti", "St.", "Nurhayati", "Andi", "Hasnah", "Rosmini", "Hj. Saenab", "Marlina",
         "Nurul", "Fatimah", "Haslinda", "Indah", "Kartini", "Mariam", "Nurjannah", "Rahmawati",
         "Sri", "Suriani", "Wahyuni", "Yuliana", "Dewi", "Ratna", "Ani", "Rina", "Hasniah",
         "Mardiana", "Nurhaedah", "Jumriah", "Kasmawati", "Hadijah", "Halimah", "Irawati",
         "Juliana", "Kurniati", "Lestari", "Masita", "Nirwana", "Paramita", "Rosdiana", "Sabariah",
         "Sumiati", "Tuti", "Umi", "Wati", "Yanti", "Zaenab", "Djumiati", "Soeharti", "Maria",
         "Yohana", "Agustina", "Fitri", "Ayu", "Putri", "Nur"]  # fmt: skip
FAMILY = ["Daeng Nai", "Rahman", "Syarifuddin", "Hamid", "Latif", "Nur", "Saleh", "Mappiasse",
          "Baharuddin", "Ramli", "Tahir", "Haris", "Amir", "Sulaiman", "Karim", "Pabbola",
          "Sanusi", "Lawang", "Asri", "Makkulau", "Yunus", "Jafar", "Daeng Ngalle", "Daeng Tompo",
          "Daeng Bau", "Daeng Sikki", "Daeng Kebo", "Mappanyukki", "Pawelloi", "Tandi", "Pasolang",
          "Rombe", "Sampe", "Wijaya", "Santoso", "Setiawan", "Hidayat", "Kurniawan", "Pratama",
          "Saputra", "Susanto", "Nugroho", "Siregar", "Nasution", "Lubis", "Harahap",
          "Simanjuntak", "Manurung", "Sitorus", "Tanjung", "Sinaga", "Manoppo", "Mokodompit",
          "Paputungan", "Lamba", "Lologau", "Sikki", "Pallawa", "Tangdilintin", "Bandaso",
          "Rante", "Parinding", "Allo", "Ibrahim", "Ismail", "Hasan", "Hakim", "Mahmud", "Ali",
          "Umar", "Abubakar", "Usman", "Mustafa", "Idrus", "Rasyid", "Syukur", "Thamrin",
          "Djalil", "Soedirman", "Tjokro", "Sunarti", "Rahmawati", "Haerani", "Syamsuddin"]  # fmt: skip
SYLLABLES = ["ka", "ra", "ma", "ta", "la", "sa", "na", "pa", "wa", "ba", "ri", "ni", "ti", "mi",
             "ru", "nu", "tu", "lo", "to", "go", "eng", "ang", "ung", "se", "de", "we", "jo", "yo"]  # fmt: skip

PLACES = ["Pasar Terong", "Jl. Perintis Kemerdekaan", "Pantai Losari", "Terminal Daya",
          "Pelabuhan Soekarno-Hatta", "Jl. Urip Sumoharjo", "Lapangan Karebosi", "Pasar Butung",
          "Jl. AP Pettarani", "Masjid Raya Makassar", "Flyover Urip", "Terminal Malengkeri",
          "Pasar Pabaeng-baeng", "Jl. Veteran Selatan", "Pasar Sentral", "Jl. Sultan Alauddin",
          "Kanal Jongaya", "TPA Antang", "Jl. Tol Reformasi", "Bandara Sultan Hasanuddin"]  # fmt: skip
STREETS = ["Sunu", "Veteran", "Kandea", "Abubakar Lambogo", "Cendrawasih", "Kumala", "Landak",
           "Rappocini Raya", "Tamalate", "Sukaria", "Antang Raya", "Daya", "Kapasa", "Barukang"]  # fmt: skip
STORIES = [
    "Warga melaporkan seorang {sex} berbicara sendiri dan tidur di emperan toko di sekitar "
    "{place} selama beberapa hari. Kondisi badan kotor, tidak bisa menyebutkan alamat.",
    "{Sex} kehabisan bekal setelah ditipu calon majikan; menginap di {place} dan meminta "
    "bantuan untuk pulang ke daerah asal.",
    "Anak usia sekolah ditemukan mengamen di lampu merah {place} hingga larut malam.",
    "Lansia tinggal sendiri di rumah semi permanen, tidak ada keluarga yang merawat.",
    "{Sex} tanpa tempat tinggal tetap, tidur di {place}. Terjaring razia Satpol PP.",
    "{Sex} mengemis di {place} bersama anak kecil. Terjaring razia gabungan.",
    "Rumah terendam banjir setinggi 1 meter di kawasan {place}; keluarga mengungsi ke posko.",
    "Rumah habis terbakar dalam kebakaran permukiman padat dekat {place}.",
    "{Sex} mengalami kekerasan dalam rumah tangga, dirujuk oleh kepolisian untuk pendampingan.",
    "Keluarga miskin dengan empat anak, kepala keluarga sakit dan tidak bekerja.",
]
NOTES = [
    "Kunjungan lapangan: kondisi klien stabil, sudah diberi makan dan pakaian bersih.",
    "Koordinasi dengan lurah setempat untuk mencari keluarga klien.",
    "Klien bersedia ditampung sementara di UPTD Rehabilitasi Sosial.",
    "Keluarga dihubungi via telepon, belum ada jawaban.",
    "Asesmen awal selesai; kebutuhan utama: tempat tinggal sementara dan pemeriksaan kesehatan.",
    "Klien diantar ke RSJ Dadi untuk pemeriksaan; menunggu hasil observasi.",
    "Rapat kasus dengan Puskesmas dan Babinsa; disepakati pendampingan mingguan.",
    "Pengajuan bantuan sembako melalui PKH sedang diproses.",
    "Keluarga datang ke kantor, bersedia menjemput klien minggu depan.",
    "Surat rujukan ke Balai Rehabilitasi Sosial sudah dikirim.",
    "Klien menolak dipindahkan; akan dikunjungi lagi bersama tokoh masyarakat.",
    "Tiket kapal pulang ke daerah asal sudah dibelikan; klien berangkat besok pagi.",
    "Pemeriksaan dokumen kependudukan: KTP hilang, diurus ke Disdukcapil.",
    "Kondisi rumah sudah diperbaiki bersama warga (gotong royong).",
    "Telepon dari keluarga di daerah asal; mereka meminta klien dipulangkan.",
]
EDIT_FIELDS = ["urgency", "place", "district_code", "reporter_phone", "channel", "summary"]
PERSON_EDIT_FIELDS = ["phone", "street", "kk_number", "birth_place"]
CHANNELS = [("residents", 40), ("satpol_pp", 15), ("police", 10), ("family", 12),
            ("outreach", 10), ("hospital", 6), ("self", 5), ("other", 2)]  # fmt: skip
URGENCIES = [("normal", 60), ("high", 18), ("low", 15), ("emergency", 7)]
# (local type name or PPKS code, weight); local types are resolved to ids after the office exists
KINDS = [("ODGJ terlantar", 18), ("Orang terlantar", 14), ("04", 9), ("08", 10), ("11", 8),
         ("12", 7), ("21", 6), ("22", 3), ("19", 5), ("24", 8), ("02", 3), ("09", 3), ("13", 2),
         ("17", 1), ("18", 0.5), ("06", 1.5), ("23", 1), ("25", 0.5), ("01", 0.3), ("16", 0.2)]  # fmt: skip
# Kecamatan of Kota Makassar with rough weights (population).
DISTRICT_WEIGHTS = {"73.71.10": 12, "73.71.11": 12, "73.71.13": 10, "73.71.09": 10,
                    "73.71.12": 9, "73.71.07": 9, "73.71.14": 7, "73.71.01": 4, "73.71.02": 4,
                    "73.71.03": 5, "73.71.04": 2, "73.71.05": 2, "73.71.06": 4, "73.71.08": 4,
                    "73.71.15": 1}  # fmt: skip
OTHER_REGENCIES = ["35.78", "32.73", "64.71", "74.71", "76.01", "33.74", "31.71"]
PHONE_PREFIXES = ["811", "812", "813", "821", "822", "823", "852", "853", "851", "855", "856",
                  "857", "858", "877", "878", "881", "882", "895", "896", "897", "898"]  # fmt: skip


def weighted(pairs):
    """A fast chooser over (value, weight) pairs."""
    values = [v for v, _ in pairs]
    cum = list(itertools.accumulate(w for _, w in pairs))
    total = cum[-1]

    def choose(rng: random.Random):
        return values[bisect.bisect_right(cum, rng.random() * total)]

    return choose


def zipf(items, s=1.0):
    return weighted([(item, 1.0 / (i + 1) ** s) for i, item in enumerate(items)])


class Names:
    def __init__(self):
        self.muhammad = weighted(MUHAMMAD)
        self.men = zipf(MEN, 0.9)
        self.women = zipf(WOMEN, 0.9)
        self.family = zipf(FAMILY, 0.8)

    def rare(self, rng) -> str:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        return word.capitalize()

    def full(self, rng, sex: str) -> str:
        if sex == "L":
            first = self.muhammad(rng) if rng.random() < 0.22 else self.men(rng)
        else:
            first = self.women(rng)
        shape = rng.random()
        if shape < 0.18:
            words = [first]  # many Indonesians have one name
        elif shape < 0.60:
            words = [first, self.family(rng)]
        elif shape < 0.90:
            middle = self.men(rng) if sex == "L" else self.women(rng)
            if sex == "L" and first not in dict(MUHAMMAD) and rng.random() < 0.25:
                middle = self.muhammad(rng)
            words = [first, middle, self.family(rng)]
        else:
            words = [first, self.family(rng), self.family(rng)]
        if rng.random() < 0.015:
            words[-1] = self.rare(rng)  # the long tail: names seen once or twice
        if len(words) > 1 and words[0] == words[1]:
            words.pop(1)
        return " ".join(words)


# --- helpers ---------------------------------------------------------------------------------


def log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)


MARKER = "bench_seed"  # reference_data row that marks a database this script built


def _replaceable(engine) -> str | None:
    """Why this existing database may not be replaced (None: it may). Only an empty database
    or one built by this script is replaced without --replace."""
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
        if not tables:
            return None
        if "reference_data" in tables and conn.scalar(
            text("SELECT 1 FROM reference_data WHERE name = :n"), {"n": MARKER}
        ):
            return None
        return f"it holds {len(tables)} tables and was not built by bench/seed_large.py"


def prepare_database(url: str, replace: bool) -> None:
    """Start from nothing: remove the SQLite file, or drop and create the PostgreSQL database.
    Refuses to replace a database this script did not build, unless `replace`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if not path or path == ":memory:":
            raise SystemExit("give a SQLite file, not an in-memory database")
        if os.path.exists(path) and not replace:
            engine = create_engine(url)
            reason = _replaceable(engine)
            engine.dispose()
            if reason:
                raise SystemExit(f"Not replacing {path}: {reason} (use --replace).")
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return
    name = parsed.database
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    if exists:
        if not replace:
            engine = create_engine(url)
            reason = _replaceable(engine)
            engine.dispose()
            if reason:
                raise SystemExit(f"Not replacing database {name}: {reason} (use --replace).")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


@lru_cache(maxsize=200_000)
def name_key_cached(name: str) -> str:
    from portal.services.names import name_key

    return name_key(name)


def make_nik(rng, district: str, birth: date, sex: str, taken: set) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    head = district.replace(".", "") + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    while True:
        nik = head + f"{rng.randint(1, 9999):04d}"
        if nik not in taken:
            taken.add(nik)
            return nik


def make_kk(rng, district: str, issued: date) -> str:
    return (
        district.replace(".", "")
        + f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        + f"{rng.randint(1, 9999):04d}"
    )


def make_phone(rng) -> str:
    digits = rng.choice(PHONE_PREFIXES) + str(rng.randint(10**6, 10**8 - 1))
    return "+62" + digits


# --- the seed --------------------------------------------------------------------------------


def seed(url: str, cases: int, rng_seed: int, analyze: bool, replace: bool) -> None:
    started = time.perf_counter()
    prepare_database(url, replace)
    from flask_migrate import upgrade

    from portal import create_app
    from portal.cli import create_office
    from portal.extensions import db
    from portal.models import (
        Case,
        CaseEvent,
        CaseSearchTerm,
        Counter,
        LocalCaseType,
        Person,
        PersonKkHistory,
        ReferenceData,
        Region,
        User,
    )
    from portal.models._base import utcnow
    from portal.services.regions import load_regions
    from portal.services.search import tokens_for

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        log("schema built by the migrations", started)
        load_regions(["73"])
        office = create_office(
            OFFICE_CODE,
            "Dinas Sosial Kota Makassar",
            government_line="PEMERINTAH KOTA MAKASSAR",
            city="Makassar",
            region_code="73.71",
            address="Jl. Arief Rate No. 1, Makassar 90111",
            timezone="Asia/Makassar",
        )
        db.session.flush()
        password_hash = None
        rng = random.Random(rng_seed)
        names = Names()
        users = []
        for i in range(1, MANAGERS + 1):
            users.append((f"manajer{i}", "manager", names.full(rng, rng.choice("LP"))))
        for i in range(1, WORKERS + 1):
            users.append((f"pekerja{i:02d}", "worker", names.full(rng, rng.choice("LP"))))
        for username, role, full_name in users:
            user = User(
                office_id=office.id,
                username=username,
                full_name=full_name + (", S.Sos." if role == "worker" else ", S.H., M.Si."),
                role=role,
                email=f"{username}@dinsos.makassarkota.go.id",
            )
            if password_hash is None:
                user.set_password(PASSWORD)
                password_hash = user.password_hash
            user.password_hash = password_hash
            db.session.add(user)
        db.session.commit()
        office_id = office.id
        all_users = list(db.session.scalars(select(User).where(User.office_id == office_id)))
        managers = [u for u in all_users if u.role == "manager"]
        workers = [u for u in all_users if u.role == "worker"]
        local_types = {
            t.name: (t.id, t.ppks_code)
            for t in db.session.scalars(
                select(LocalCaseType).where(LocalCaseType.office_id == office_id)
            )
        }
        villages: dict[str, list[str]] = {}
        for code, parent in db.session.execute(
            select(Region.code, Region.parent_code).where(Region.level == 4)
        ):
            villages.setdefault(parent, []).append(code)
        province_districts = [
            code
            for (code,) in db.session.execute(select(Region.code).where(Region.level == 3))
            if not code.startswith("73.71.")
        ]
        db.session.commit()  # end the read transaction (the app's SQLite BEGIN IMMEDIATE locks)
        log(f"regions, office, {len(all_users)} users", started)

        tables = {
            "person": Person.__table__,
            "kk": PersonKkHistory.__table__,
            "case": Case.__table__,
            "event": CaseEvent.__table__,
            "term": CaseSearchTerm.__table__,
        }
        conn = db.engine.connect()
        dialect = conn.dialect.name
        if dialect == "sqlite":
            # Bulk-load settings for this one connection (the app sets WAL itself), outside any
            # transaction: straight on the driver's connection.
            raw = conn.connection.dbapi_connection
            for pragma in ("cache_size=-1000000", "synchronous=OFF", "temp_store=MEMORY"):
                raw.execute(f"PRAGMA {pragma}")  # 1 GB page cache, no fsync while loading

        now = utcnow().replace(microsecond=0)
        span = timedelta(days=3 * 365)
        start = now - span
        # Registration moments, ascending: ids grow with created_at as in real use.
        created_offsets = sorted(rng.random() for _ in range(cases))
        choose_kind = weighted(KINDS)
        choose_channel = weighted(CHANNELS)
        choose_urgency = weighted(URGENCIES)
        choose_district = weighted(list(DISTRICT_WEIGHTS.items()))
        taken_niks: set[str] = set()
        kk_pool: list[str] = []
        people_seen: list[tuple[int, dict]] = []  # (person_id, token source) for repeat clients
        serial_by_year: dict[int, int] = {}
        person_id = 0
        event_total = term_total = 0
        long_cases = 0

        def insert_rows(key, rows):
            if rows:
                conn.execute(insert(tables[key]), rows)

        for batch_start in range(0, cases, BATCH):
            persons, kks, case_rows, events, terms = [], [], [], [], []
            for i in range(batch_start, min(cases, batch_start + BATCH)):
                case_id = i + 1
                created = start + span * created_offsets[i]
                created = created.replace(microsecond=0) + timedelta(microseconds=i % 1000)
                reported = created - timedelta(minutes=rng.randint(5, 60 * 72))
                age_days = (now - created).days
                kind = choose_kind(rng)
                if kind in local_types:
                    local_type_id, ppks_code = local_types[kind]
                else:
                    local_type_id, ppks_code = None, kind
                district = choose_district(rng)
                sex = "L" if rng.random() < 0.58 else "P"

                # --- the person (new, or a client the office has seen before) ---
                if people_seen and rng.random() < 0.08:
                    pid, source = people_seen[rng.randrange(len(people_seen))]
                else:
                    person_id += 1
                    pid = person_id
                    unknown = kind == "ODGJ terlantar" and rng.random() < 0.45
                    if kind in ("04", "02", "01", "06"):
                        age = rng.randint(1 if kind == "01" else 5, 17)
                    elif kind == "08":
                        age = rng.randint(60, 92)
                    else:
                        age = rng.randint(18, 70)
                    birth = date(created.year - age, rng.randint(1, 12), rng.randint(1, 28))
                    full_name = "" if unknown else names.full(rng, sex)
                    origin = None
                    home = district
                    if kind == "Orang terlantar":
                        origin = rng.choice(OTHER_REGENCIES)
                        home = origin + ".0" + str(rng.randint(1, 5))
                    elif rng.random() < 0.12:
                        home = rng.choice(province_districts)
                    nik = kk = phone = None
                    if not unknown:
                        if rng.random() < 0.68:
                            nik = make_nik(rng, home, birth, sex, taken_niks)
                        if rng.random() < 0.5:
                            if kk_pool and rng.random() < 0.1:
                                kk = kk_pool[rng.randrange(len(kk_pool))]  # family member
                            else:
                                issued = created.date() - timedelta(days=rng.randint(30, 5000))
                                kk = make_kk(rng, home, issued)
                                kk_pool.append(kk)
                        if rng.random() < 0.55:
                            phone = make_phone(rng)
                    local_home = home.startswith("73.")
                    person = {
                        "id": pid,
                        "office_id": office_id,
                        "identity_known": not unknown,
                        "full_name": full_name,
                        "name_key": name_key_cached(full_name) if full_name else "",
                        "nik": nik,
                        "kk_number": kk,
                        "sex": sex,
                        "birth_date": None if unknown else birth,
                        "estimated_age": age if unknown else None,
                        "birth_year": birth.year,
                        "birth_place": ""
                        if unknown
                        else rng.choice(["Makassar", "Gowa", "Maros", "Bone", "Takalar", "Toraja"]),
                        "phone": phone,
                        "street": ""
                        if unknown
                        else f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}, "
                        f"RT 00{rng.randint(1, 9)}/RW 00{rng.randint(1, 9)}",
                        "province_code": None if unknown or not local_home else "73",
                        "regency_code": None if unknown or not local_home else home[:5],
                        "district_code": None if unknown or not local_home else home,
                        "village_code": rng.choice(villages[home])
                        if not unknown and home in villages
                        else None,
                        "origin_regency_code": origin,
                        "physical_description": "Kurus, rambut gondrong, pakaian lusuh; "
                        "bekas luka di lengan kiri."
                        if unknown
                        else "",
                        "found_place": rng.choice(PLACES) if unknown else "",
                        "found_at": reported - timedelta(hours=2) if unknown else None,
                        "photo_id": None,
                        "created_at": created,
                        "created_by_id": None,  # set with the registrar below
                        "updated_at": created,
                        "version_id": 1,
                    }
                    persons.append(person)
                    source = {"full_name": full_name, "nik": nik, "kk_number": kk, "phone": phone}
                    people_seen.append((pid, source))
                    if kk:
                        kks.append({"person_id": pid, "kk_number": kk, "recorded_at": created})

                # --- the case ---
                year = created.year
                serial_by_year[year] = serial_by_year.get(year, 0) + 1
                number = f"KS-{year}-{serial_by_year[year]:06d}"
                registrar = rng.choice(workers) if rng.random() < 0.75 else rng.choice(managers)
                if persons and persons[-1]["id"] == pid and persons[-1]["created_by_id"] is None:
                    persons[-1]["created_by_id"] = registrar.id
                assigned = None
                assigner = None
                if registrar.role == "worker":
                    assigned = registrar
                elif age_days > 3 or rng.random() < 0.5:
                    assigned = rng.choice(workers)
                    assigner = registrar
                # status by age: recent cases are open, old ones mostly closed
                r = rng.random()
                if age_days < 14:
                    status = (
                        "new" if assigned is None else ("in_progress" if r < 0.85 else "referred")
                    )
                elif age_days < 120:
                    status = (
                        "in_progress"
                        if r < 0.45
                        else "referred"
                        if r < 0.6
                        else "closing"
                        if r < 0.7
                        else "closed"
                    )
                else:
                    status = (
                        "closed"
                        if r < 0.88
                        else "in_progress"
                        if r < 0.94
                        else "referred"
                        if r < 0.97
                        else "closing"
                    )
                if assigned is None and status != "new":
                    assigned = rng.choice(workers)
                    assigner = rng.choice(managers)
                closed_at = None
                if status == "closed":
                    closed_at = min(now, created + timedelta(days=rng.randint(3, 110)))
                end = closed_at or now

                # --- the timeline ---
                if rng.random() < 0.002 or (i == cases - 1000 and long_cases == 0):
                    extra = rng.randint(200, 450)
                    long_cases += 1
                else:
                    extra = min(30, int(rng.expovariate(1 / 5)))
                if age_days < 2:
                    extra = min(extra, 2)
                moments = (
                    sorted(created + (end - created) * rng.random() for _ in range(extra)) or []
                )
                events.append(
                    {
                        "case_id": case_id,
                        "kind": "registered",
                        "actor_id": registrar.id,
                        "created_at": created,
                        "body": "",
                        "data": None,
                    }
                )
                edits = 0
                current_worker = assigned
                if assigner is not None:
                    moments.insert(0, created + timedelta(minutes=rng.randint(10, 600)))
                for n, moment in enumerate(moments):
                    if n == 0 and assigner is not None:
                        kind_ev, actor, body, data = (
                            "assigned",
                            assigner.id,
                            "",
                            {"from": None, "to": assigned.full_name},
                        )
                    else:
                        r = rng.random()
                        actor = (current_worker or registrar).id
                        body, data = "", None
                        if r < 0.72:
                            kind_ev = "note"
                            body = rng.choice(NOTES)
                        elif r < 0.87:
                            kind_ev = "edited"
                            field = rng.choice(EDIT_FIELDS)
                            if field == "urgency":
                                change = [choose_urgency(rng), choose_urgency(rng)]
                            elif field == "district_code":
                                change = [choose_district(rng), choose_district(rng)]
                            elif field == "channel":
                                change = [choose_channel(rng), choose_channel(rng)]
                            elif field == "reporter_phone":
                                change = ["", make_phone(rng)]
                            elif field == "place":
                                change = [rng.choice(PLACES), rng.choice(PLACES)]
                            else:
                                change = ["(ringkasan awal)", rng.choice(NOTES)]
                            data = {"changes": {field: change}}
                            edits += 1
                        elif r < 0.93:
                            kind_ev = "person_edited"
                            field = rng.choice(PERSON_EDIT_FIELDS)
                            if field == "phone":
                                change = [None, make_phone(rng)]
                            elif field == "kk_number":
                                change = [None, make_kk(rng, district, created.date())]
                            elif field == "street":
                                change = ["", f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 99)}"]
                            else:
                                change = ["", "Makassar"]
                            data = {"changes": {field: change}}
                        else:
                            kind_ev = "assigned"
                            new_worker = rng.choice(workers)
                            actor = rng.choice(managers).id
                            data = {
                                "from": current_worker.full_name if current_worker else None,
                                "to": new_worker.full_name,
                            }
                            current_worker = new_worker
                    events.append(
                        {
                            "case_id": case_id,
                            "kind": kind_ev,
                            "actor_id": actor,
                            "created_at": moment.replace(microsecond=0),
                            "body": body,
                            "data": data,
                        }
                    )
                if current_worker is not None and assigned is not None:
                    assigned = current_worker
                updated = max(created, moments[-1]) if moments else created
                if closed_at:
                    updated = max(updated, closed_at)
                story = rng.choice(STORIES).format(
                    sex="laki-laki" if sex == "L" else "perempuan",
                    Sex="Laki-laki" if sex == "L" else "Perempuan",
                    place=rng.choice(PLACES),
                )
                case_rows.append(
                    {
                        "id": case_id,
                        "office_id": office_id,
                        "number": number,
                        "year": year,
                        "person_id": pid,
                        "ppks_code": ppks_code,
                        "local_type_id": local_type_id,
                        "status": status,
                        "channel": choose_channel(rng),
                        "reporter_name": rng.choice(
                            ["Pak RT 003", "Ibu Hasnah (warga)", "Bripka Syamsuddin", "", ""]
                        ),
                        "reporter_phone": make_phone(rng) if rng.random() < 0.5 else "",
                        "reported_at": reported,
                        "place": rng.choice(PLACES),
                        "district_code": district,
                        "summary": story,
                        "urgency": choose_urgency(rng),
                        "assigned_to_id": assigned.id if assigned else None,
                        "created_by_id": registrar.id,
                        "created_at": created,
                        "updated_at": updated,
                        "closed_at": closed_at,
                        "version_id": 1 + edits,
                    }
                )
                token_case = SimpleNamespace(number=number, person=SimpleNamespace(**source))
                for token in tokens_for(token_case):
                    terms.append({"case_id": case_id, "office_id": office_id, "token": token})

            insert_rows("person", persons)
            insert_rows("kk", kks)
            insert_rows("case", case_rows)
            insert_rows("event", events)
            insert_rows("term", terms)
            conn.commit()
            event_total += len(events)
            term_total += len(terms)
            done = min(cases, batch_start + BATCH)
            if done % 50_000 == 0 or done == cases:
                log(
                    f"{done:,} cases, {person_id:,} people, {event_total:,} events, "
                    f"{term_total:,} search terms",
                    started,
                )

        for year, value in sorted(serial_by_year.items()):
            conn.execute(
                insert(Counter.__table__),
                [{"office_id": office_id, "name": "case", "year": year, "value": value}],
            )
        conn.execute(
            insert(ReferenceData.__table__),
            [
                {
                    "name": MARKER,
                    "version": f"{cases} cases, seed {rng_seed}",
                    "source": "bench/seed_large.py",
                    "rows": cases,
                    "loaded_at": utcnow(),
                }
            ],
        )
        if dialect == "postgresql":
            for table in ("person", "case"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT max(id) FROM "{table}"))'
                )
        conn.commit()
        log(
            f"counters {dict(sorted(serial_by_year.items()))}; {long_cases} long timelines", started
        )
        if dialect == "postgresql":
            conn.close()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as auto:
                auto.exec_driver_sql("VACUUM ANALYZE")
            log("VACUUM ANALYZE done (autovacuum would do the same)", started)
        else:
            if analyze:
                raw.execute("ANALYZE")
                log("ANALYZE done (sqlite_stat1 written)", started)
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        check = db.session.execute(select(func.count()).select_from(Case.__table__)).scalar()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    log(f"done: {check:,} cases in {make_url(url).render_as_string()}", started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--replace",
        action="store_true",
        help="Replace the database even if this script did not build it",
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="SQLite: also run ANALYZE (the app never does; off by default)",
    )
    args = parser.parse_args()
    url = args.database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    seed(url, args.cases, args.seed, args.analyze, args.replace)


if __name__ == "__main__":
    main()
