"""Build a large benchmark database: one office (Dinas Sosial Kota Makassar) with N cases.

    .venv/bin/python bench/seed_large.py                      # 500,000 cases into bench/bench.db
    .venv/bin/python bench/seed_large.py --cases 50000
    .venv/bin/python bench/seed_large.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/simpul_bench

The database is always built from scratch: the SQLite file is replaced, the PostgreSQL database
is dropped and created again. The schema comes from the migrations (`flask db upgrade`); the rows
are bulk-inserted with Core `insert()` executemany in batches, not through the ORM unit of work.
Search tokens come from `portal.services.search.case_tokens` (what `tokens_for` gives a case whose
person has no merged records), name keys from
`portal.services.names.name_key`, so search and duplicate checks work as on real data.

The office gets a dozen partner organisations (RSJ, panti, services). A second pass over the
stored cases adds referrals, aid and case closures consistent with each case's status and dates
(no letters), with the same seeded generator, so the people, cases and timelines stay those of
the first pass.

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
from datetime import date, datetime, timedelta
from datetime import time as dtime
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, inspect, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal.models.cases import urgency_rank  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'bench.db'}"
PASSWORD = "bench1234"
OFFICE_CODE = "makassar"
WORKERS = 40
MANAGERS = 3
BATCH = 10_000  # cases per transaction
# the person's fields besides names and numbers that the search tokens are made of
SEARCHED_PERSON_FIELDS = ("physical_description", "found_place", "identity_known", "sex",
                          "estimated_age")  # fmt: skip

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
# What the people found without a name look like (one by the person's id: no draw, so the rest of
# the data is as before); the search by description (bench/pages.py) looks for these words.
LOOKS = [
    "Kurus, rambut gondrong, pakaian lusuh; bekas luka di lengan kiri.",
    "Rambut gondrong, memakai kaos biru lusuh; bekas luka di pelipis kiri.",
    "Berambut cepak beruban, kemeja kotak-kotak merah dan sarung, tidak beralas kaki.",
    "Bertubuh besar, kulit sawo matang, tato jangkar di lengan kanan, jaket hitam.",
    "Memakai kaos biru bergambar partai dan celana pendek; berbicara sendiri.",
    "Rambut panjang diikat, daster batik cokelat; tahi lalat di pipi kanan.",
    "Berjilbab hijau lusuh, membawa kantong plastik; luka bakar di punggung tangan.",
    "Rambut sebahu beruban, kaos kuning, rok panjang hitam; gigi depan ompong.",
    "Kurus sekali, kulit bersisik, bekas luka jahitan di pelipis kanan, kaos putih robek.",
]
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

# --- referrals, aid, closures (a second pass over the cases) ---------------------------------
# Partner organisations of the office: (name, kind, address, region). Referrals to an RSJ or a
# panti name one of these (the referral form requires it); a return home names the Dinas Sosial
# of the destination in text.
ORGANISATIONS = [
    ("RSKD Dadi Provinsi Sulawesi Selatan", "rsj", "Jl. Lanto Daeng Pasewang No. 34, Makassar", "73.71"),
    ("RSJ Atma Husada Mahakam Samarinda", "rsj", "Jl. Kakap No. 23, Samarinda", "64.72"),
    ("UPTD Rehabilitasi Sosial Kota Makassar", "panti", "Jl. Kapasa Raya, Makassar", "73.71"),
    ("UPTD RPTC Dinas Sosial Kota Makassar", "panti", "Jl. Sunu, Makassar", "73.71"),
    ("Balai Rehabilitasi Sosial Lansia Gau Mabaji Gowa", "panti", "Jl. Poros Malino, Gowa", "73.06"),
    ("UPT PSBR Makassar (Panti Sosial Bina Remaja)", "panti", "Jl. Dg. Tata, Makassar", "73.71"),
    ("Dinas Sosial Provinsi Sulawesi Selatan", "dinsos", "Jl. AP Pettarani No. 59, Makassar", "73.71"),
    ("RSUD Daya Kota Makassar", "hospital", "Jl. Perintis Kemerdekaan Km. 14, Makassar", "73.71"),
    ("Puskesmas Kaluku Bodoa", "puskesmas", "Jl. Kaluku Bodoa, Makassar", "73.71"),
    ("Polrestabes Makassar", "police", "Jl. Jenderal Ahmad Yani No. 9, Makassar", "73.71"),
    ("UPTD PPA Kota Makassar", "other", "Jl. Anggrek Raya, Makassar", "73.71"),
]  # fmt: skip
SERVICE_TEXTS = ["Disdukcapil Kota Makassar", "BPJS Kesehatan Cabang Makassar",
                 "LBH APIK Sulawesi Selatan", "BNNK Makassar"]  # fmt: skip
# Referral kind by case type: ODGJ to an RSJ, stranded travellers home, children, the elderly
# and people living on the street to a panti, the rest to another service.
PLACEMENT_TYPES = ("01", "02", "04", "06", "08", "11", "12", "17", "18")
REFERRAL_KIND_WEIGHTS = {
    "ODGJ terlantar": [("rsj", 80), ("service", 12), ("return_home", 5), ("placement", 3)],
    "Orang terlantar": [("return_home", 85), ("service", 8), ("placement", 4), ("rsj", 3)],
    "placement": [("placement", 60), ("service", 25), ("return_home", 10), ("rsj", 5)],
    "other": [("service", 65), ("placement", 20), ("return_home", 10), ("rsj", 5)],
}
# Chance that a case (not "new", not "referred": those always have one) has a referral.
REFERRAL_CHANCE = {"ODGJ terlantar": 0.45, "Orang terlantar": 0.4, "placement": 0.17, "other": 0.08}
# The status of a case's (last) referral, by the case's status; see services/referrals.py and
# services/closure.py: approving makes a case "referred", cancelling the only approved referral
# makes it "in_progress" again, and a case is not closed while a referral is submitted or approved.
REFERRAL_STATUS_WEIGHTS = {
    "referred": [("approved", 78), ("completed", 15), ("submitted", 7)],
    "in_progress": [("submitted", 35), ("draft", 15), ("returned", 10), ("rejected", 20),
                    ("cancelled", 20)],
    "in_progress_old": [("submitted", 5), ("draft", 5), ("returned", 5), ("rejected", 45),
                        ("cancelled", 40)],
    "closing": [("completed", 75), ("rejected", 13), ("cancelled", 12)],
    "closed": [("completed", 82), ("rejected", 9), ("cancelled", 9)],
}  # fmt: skip
REFERRAL_VERSION = {"draft": 1, "submitted": 2, "returned": 3, "rejected": 3, "approved": 3,
                    "completed": 4, "cancelled": 4}  # fmt: skip
REJECT_REASONS = ["Kasus cukup ditangani dengan pendampingan keluarga.",
                  "Klien belum memenuhi syarat penerimaan panti.",
                  "Keluarga sudah ditemukan dan bersedia menjemput."]  # fmt: skip
RETURN_COMMENTS = ["Lengkapi kontak keluarga dan jadwal keberangkatan.",
                   "Lampirkan hasil asesmen dan rujukan medis."]  # fmt: skip
CANCEL_REASONS = ["Klien meninggalkan shelter sebelum keberangkatan.",
                  "Keluarga datang menjemput klien.",
                  "Panti penuh; klien dirujuk ulang kemudian."]  # fmt: skip
APPROVE_COMMENTS = ["Setuju, segera dilaksanakan.", "Setuju.", ""]
RECEIVER_POSITIONS = {"rsj": "Perawat jaga IGD", "return_home": "Staf Dinas Sosial",
                      "placement": "Pekerja sosial UPTD", "service": "Petugas layanan"}  # fmt: skip
# Destinations of a return home within Sulawesi Selatan (the regions the seed loads), by how
# often; a loaded regency not listed here gets weight 2 (1 outside the province).
REGENCY_WEIGHTS = {"73.06": 12, "73.09": 8, "73.08": 8, "73.05": 5, "73.10": 5, "73.04": 5,
                   "73.02": 4, "73.18": 4, "73.26": 3, "73.73": 4, "73.72": 4, "73.13": 3,
                   "73.22": 3, "73.17": 3}  # fmt: skip
CLOSURE_REASON_WEIGHTS = [("returned_family", 35), ("recovered", 15), ("lost_contact", 14),
                          ("referred_agency", 8), ("returned_origin", 8), ("placed", 6),
                          ("other", 7), ("died", 3)]  # fmt: skip
CLOSURE_REASON_OF_REFERRAL = {
    "rsj": [("placed", 40), ("returned_family", 35), ("referred_agency", 20), ("died", 5)],
    "return_home": [("returned_origin", 90), ("returned_family", 10)],
    "placement": [("placed", 85), ("returned_family", 10), ("lost_contact", 5)],
    "service": [("referred_agency", 50), ("recovered", 30), ("returned_family", 20)],
}
CLOSURE_SUMMARIES = {
    "returned_family": "Klien dijemput keluarga setelah asesmen; keluarga bersedia merawat.",
    "returned_origin": "Klien dipulangkan ke daerah asal dan diterima Dinas Sosial setempat.",
    "placed": "Klien ditempatkan di UPTD untuk rehabilitasi sosial jangka panjang.",
    "recovered": "Klien pulih, sudah bekerja dan tinggal di kos sendiri.",
    "referred_agency": "Penanganan dilanjutkan oleh lembaga lain.",
    "lost_contact": "Klien meninggalkan shelter dan tidak dapat dihubungi lagi.",
    "died": "Klien meninggal dunia di RSUD; dimakamkan oleh keluarga.",
    "other": "Penanganan selesai; lihat catatan kasus.",
}
REOPEN_REASONS = ["Klien kembali ditemukan di jalan; perlu ditangani lagi.",
                  "Keluarga tidak sanggup merawat; klien kembali ke shelter."]  # fmt: skip
# Aid: the chance a case gets any, and the kinds given, by case type.
AID_CHANCE = {"Orang terlantar": 0.5, "ODGJ terlantar": 0.45, "21": 0.7, "22": 0.7, "24": 0.4,
              "08": 0.4}  # fmt: skip
AID_CHANCE_OTHER = 0.15
AID_KIND_WEIGHTS = {
    "Orang terlantar": [("transport_ticket", 40), ("pocket_money", 35), ("food", 20),
                        ("clothing", 5)],
    "ODGJ terlantar": [("clothing", 30), ("medical_cost", 25), ("psychosocial", 25), ("food", 20)],
    "21": [("food", 40), ("shelter_kit", 25), ("clothing", 25), ("other", 10)],
    "22": [("food", 40), ("shelter_kit", 25), ("clothing", 25), ("other", 10)],
    "08": [("food", 45), ("other", 20), ("medical_cost", 20), ("clothing", 15)],
    "24": [("food", 60), ("other", 20), ("medical_cost", 20)],
    "child": [("clothing", 30), ("psychosocial", 30), ("food", 30), ("other", 10)],
    "other": [("food", 40), ("psychosocial", 20), ("medical_cost", 15), ("clothing", 15),
              ("other", 10)],
}  # fmt: skip
CHILD_TYPES = ("01", "02", "04", "06")
# kind -> (quantity range or None, units, Rupiah range or None, chance of an amount)
AID_SPECS = {
    "food": ((1, 10), ["paket", "paket", "kg"], None, 0),
    "clothing": ((1, 4), ["pasang"], None, 0),
    "shelter_kit": ((1, 1), ["set"], (300_000, 1_500_000), 0.8),
    "psychosocial": ((1, 6), ["sesi"], None, 0),
    "transport_ticket": ((1, 1), ["tiket"], (150_000, 1_500_000), 1),
    "pocket_money": (None, [""], (50_000, 500_000), 1),
    "medical_cost": (None, [""], (100_000, 1_500_000), 1),
    "other": ((1, 1), ["paket", "kasur", "kursi roda"], (50_000, 750_000), 0.5),
}
AID_NOTES = ["", "", "", "Diserahkan langsung kepada klien.", "Diterima oleh keluarga klien."]


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


def rupiah(rng, low: int, high: int) -> int:
    """An amount between low and high, in round 5,000s."""
    return rng.randint(low // 5000, high // 5000) * 5000


class Outcomes:
    """Referrals, aid and closures of the cases, consistent with each case's status and dates:
    a closed case's referrals ended and its aid was given before it closed; a "referred" case
    has an approved (or handed-over) referral; a closing case waits on its closure request."""

    def __init__(self, rng, *, office_id, now, managers, users, organisations, regencies):
        self.rng = rng
        self.office_id = office_id
        self.now = now
        self.managers = [u.id for u in managers]
        self.user_names = {u.id: u.full_name for u in users}
        self.orgs = organisations  # kind -> [(id, name)], in ORGANISATIONS order
        self.org_names = {i: name for items in organisations.values() for i, name in items}
        self.regency_names = dict(regencies)  # code -> name, the regencies in `region`
        self.choose_destination = weighted(
            [
                (code, REGENCY_WEIGHTS.get(code, 2 if code.startswith("73.") else 1))
                for code, _name in regencies
            ]
        )
        self.referral_kind = {k: weighted(v) for k, v in REFERRAL_KIND_WEIGHTS.items()}
        self.referral_status = {k: weighted(v) for k, v in REFERRAL_STATUS_WEIGHTS.items()}
        self.closure_reason = weighted(CLOSURE_REASON_WEIGHTS)
        self.reason_of = {k: weighted(v) for k, v in CLOSURE_REASON_OF_REFERRAL.items()}
        self.aid_kind = {k: weighted(v) for k, v in AID_KIND_WEIGHTS.items()}
        self.names = Names()

    def add(self, c, type_name: str | None, referrals: list, aid: list, closures: list) -> None:
        """Append the rows of case `c` (a row of case joined with person) to the three lists."""
        rng = self.rng
        now = self.now
        status = c.status
        created = c.created_at
        worker = c.assigned_to_id or c.created_by_id
        key = type_name or c.ppks_code
        if key in ("ODGJ terlantar", "Orang terlantar"):
            group = key
        else:
            group = "placement" if c.ppks_code in PLACEMENT_TYPES else "other"

        # The closure moments come first: the referrals end before them.
        limit = now
        requested_at = reopen = None
        direct = False
        if status == "closed":
            window = c.closed_at - created  # at least 3 days
            direct = rng.random() < 0.12  # a manager closes at once, no approval
            requested_at = c.closed_at
            if not direct:
                requested_at -= min(timedelta(hours=rng.uniform(1, 96)), window * 0.1)
            limit = requested_at
            if rng.random() < 0.02:  # closed, reopened, then closed again
                first = created + window * rng.uniform(0.55, 0.65)
                decided = first + window * rng.uniform(0.005, 0.05)
                reopen = (first, decided, decided + window * rng.uniform(0.02, 0.15))
                limit = first
        elif status == "closing":
            window = now - created
            requested_at = now - min(timedelta(hours=rng.uniform(0, 14 * 24)), window * 0.25)
            limit = requested_at

        # --- referrals ---
        plan: list[tuple[str, str]] = []  # (kind, status), oldest first
        if status == "referred" or (status != "new" and rng.random() < REFERRAL_CHANCE[group]):
            status_key = status
            if status == "in_progress" and (now - created).days > 60:
                status_key = "in_progress_old"
            last = self.referral_status[status_key](rng)
            if status == "referred" and last == "submitted":
                plan.append((self.referral_kind[group](rng), "completed"))
            elif rng.random() < 0.06:  # an earlier referral that ended
                if status == "in_progress":
                    earlier = rng.choice(("rejected", "cancelled"))
                else:
                    earlier = rng.choice(("completed", "completed", "rejected", "cancelled"))
                plan.append((self.referral_kind[group](rng), earlier))
            plan.append((self.referral_kind[group](rng), last))
        if plan:
            room = limit - created
            if status in ("closed", "closing") or rng.random() < 0.7:
                start = created + min(timedelta(hours=rng.uniform(1, 96)), room * 0.3)
            else:  # a referral later in the life of a long-running case
                start = created + room * rng.uniform(0.05, 0.8)
            marks, hours = [], 0.0
            for n, (_kind, ref_status) in enumerate(plan):
                if n:
                    hours += rng.uniform(2, 120)
                steps = [hours]
                if ref_status != "draft":
                    hours += rng.uniform(0.5, 30)
                    steps.append(hours)  # submitted
                    if ref_status != "submitted":
                        hours += rng.uniform(1, 72)
                        steps.append(hours)  # decided
                        if ref_status in ("completed", "cancelled"):
                            hours += rng.uniform(6, 240)
                            steps.append(hours)  # handed over / cancelled
                marks.append(steps)
            room_hours = (limit - start).total_seconds() / 3600 * 0.95
            scale = min(1.0, room_hours / hours) if hours else 1.0
            for (kind, ref_status), steps in zip(plan, marks, strict=True):
                moments = [start + timedelta(hours=h * scale) for h in steps]
                referrals.append(self.referral(c, kind, ref_status, moments, worker))

        # --- closures ---
        handed = [kind for kind, st in plan if st == "completed"]
        referred = any(st in ("approved", "completed") for _kind, st in plan)
        previous = "referred" if referred else "in_progress"
        if requested_at is not None:
            if handed and rng.random() < 0.85:
                reason = self.reason_of[handed[-1]](rng)
            else:
                reason = self.closure_reason(rng)
            manager = rng.choice(self.managers)
            row = self.closure_row(c, reason, previous)
            if reopen is not None:
                first, decided, reopened = reopen
                earlier = self.closure_row(c, self.closure_reason(rng), previous)
                earlier.update(
                    closed_on=first.date(),
                    status="reopened",
                    requested_by_id=worker,
                    requested_at=first,
                    decided_by_id=rng.choice(self.managers),
                    decided_at=decided,
                    decision_comment="Setuju.",
                    reopened_by_id=rng.choice((worker, manager)),
                    reopened_at=reopened,
                    reopen_reason=rng.choice(REOPEN_REASONS),
                    version_id=3,
                )
                closures.append(earlier)
            if status == "closing":
                row.update(
                    closed_on=requested_at.date(),
                    status="requested",
                    requested_by_id=worker,
                    requested_at=requested_at,
                )
            elif direct:
                row.update(
                    closed_on=c.closed_at.date(),
                    status="closed",
                    requested_by_id=manager,
                    requested_at=c.closed_at,
                    decided_by_id=manager,
                    decided_at=c.closed_at,
                )
            else:
                row.update(
                    closed_on=c.closed_at.date(),
                    status="approved",
                    requested_by_id=worker,
                    requested_at=requested_at,
                    decided_by_id=manager,
                    decided_at=c.closed_at,
                    decision_comment=rng.choice(("Setuju.", "", "")),
                    version_id=2,
                )
            closures.append(row)

        # --- aid ---
        if rng.random() < AID_CHANCE.get(key, AID_CHANCE_OTHER):
            if key in self.aid_kind:
                choose = self.aid_kind[key]
            else:
                choose = self.aid_kind["child" if c.ppks_code in CHILD_TYPES else "other"]
            end = c.closed_at or now
            first_day = c.reported_at.date()
            span_days = (end.date() - first_day).days
            day = min(span_days, int(rng.expovariate(1 / 5)))
            r = rng.random()
            for _ in range(1 if r < 0.55 else 2 if r < 0.85 else 3):
                kind = choose(rng)
                quantity_range, units, amount_range, amount_chance = AID_SPECS[kind]
                quantity = rng.randint(*quantity_range) if quantity_range else None
                amount = None
                if amount_range and (quantity is None or rng.random() < amount_chance):
                    amount = rupiah(rng, *amount_range)
                given_on = first_day + timedelta(days=day)
                recorded = datetime.combine(given_on, dtime(rng.randint(1, 9), rng.randint(0, 59)))
                aid.append(
                    {
                        "office_id": self.office_id,
                        "case_id": c.id,
                        "kind": kind,
                        "quantity": quantity,
                        "unit": rng.choice(units) if quantity is not None else "",
                        "amount": amount,
                        "given_on": given_on,
                        "given_by": self.user_names[worker],
                        "note": rng.choice(AID_NOTES),
                        "recorded_by_id": worker,
                        "created_at": min(end, max(created, recorded)),
                    }
                )
                day = min(span_days, day + int(rng.expovariate(1 / 7)))

    def closure_row(self, c, reason: str, previous: str) -> dict:
        return {
            "office_id": self.office_id,
            "case_id": c.id,
            "reason": reason,
            "closed_on": None,
            "summary": CLOSURE_SUMMARIES[reason],
            "status": "requested",
            "urgency_rank": urgency_rank(c.urgency),  # the approval desk's order
            "previous_status": previous,
            "requested_by_id": None,
            "requested_at": None,
            "decided_by_id": None,
            "decided_at": None,
            "decision_comment": "",
            "reopened_by_id": None,
            "reopened_at": None,
            "reopen_reason": "",
            "version_id": 1,
        }

    def referral(self, c, kind: str, status: str, moments: list, worker: int) -> dict:
        rng = self.rng
        created = moments[0]
        decided = moments[2] if len(moments) > 2 else None
        done = moments[3] if len(moments) > 3 else None
        planned = ((done or decided or created) + timedelta(days=rng.randint(0, 3))).date()
        if done is not None:
            planned = min(planned, done.date())
        row = {
            "office_id": self.office_id,
            "case_id": c.id,
            "kind": kind,
            "status": status,
            "urgency_rank": urgency_rank(c.urgency),  # the approval desk's order
            "organisation_id": None,
            "organisation_text": "",
            "planned_date": planned,
            "escort": "",
            "transport": "",
            "notes": "",
            "medical_referral": None,
            "medical_doctor": "",
            "medical_facility": "",
            "medical_date": None,
            "observations": "",
            "diagnosis": "",
            "insurance": "",
            "insurance_number": "",
            "family_status": "",
            "family_reason": "",
            "destination_regency_code": None,
            "family_contact": "",
            "route": "",
            "ticket_cost": None,
            "pocket_money": None,
            "programme": "",
            "expected_duration": "",
            "purpose": "",
            "created_by_id": worker,
            "created_at": created,
            "updated_at": created,
            "submitted_by_id": worker if len(moments) > 1 else None,
            "submitted_at": moments[1] if len(moments) > 1 else None,
            "decided_by_id": rng.choice(self.managers) if decided else None,
            "decided_at": decided,
            "decision_comment": "",
            "handover_date": None,
            "handover_place": "",
            "receiver_name": "",
            "receiver_position": "",
            "receiver_institution": "",
            "handover_note": "",
            "closed_at": done,
            "cancel_reason": "",
            "version_id": REFERRAL_VERSION[status],
        }
        if kind == "rsj":
            org_id, _name = self.orgs["rsj"][0 if rng.random() < 0.9 else 1]
            medical = rng.random() < 0.7
            insurance = weighted_pick(rng, (("kis", 40), ("bpjs", 30), ("none", 30)))
            family = weighted_pick(rng, (("not", 50), ("informed", 30), ("consented", 20)))
            row.update(
                organisation_id=org_id,
                medical_referral=medical,
                medical_doctor=f"dr. {self.names.full(rng, rng.choice('LP'))}" if medical else "",
                medical_facility=rng.choice(
                    ["Puskesmas Kaluku Bodoa", "RSUD Daya Kota Makassar", "Puskesmas Jongaya"]
                )
                if medical
                else "",
                medical_date=created.date() if medical else None,
                observations=rng.choice(
                    [
                        "Bicara sendiri, gelisah malam hari, tidak mengenali tempat dan waktu.",
                        "Menarik diri, tidak mau makan, sesekali berteriak tanpa sebab.",
                        "Mudah marah, mengganggu pedagang pasar, tidur di emperan toko.",
                    ]
                ),
                diagnosis="Suspek gangguan psikotik (F20)" if rng.random() < 0.5 else "",
                insurance=insurance,
                insurance_number=f"000{rng.randint(10**9, 10**10 - 1)}"
                if insurance != "none"
                else "",
                family_status=family,
                family_reason="Keluarga belum ditemukan." if family == "not" else "",
                escort="Tim reaksi cepat Dinsos",
                transport="Ambulans Dinsos",
            )
        elif kind == "return_home":
            destination = self.destination(c)
            row.update(
                destination_regency_code=destination,
                organisation_text=f"Dinas Sosial {self.regency_names[destination]}",
                family_contact=f"{rng.choice(['Kakak kandung', 'Orang tua', 'Paman', 'Istri'])}"
                f", {make_phone(rng)}",
                route=rng.choice(("direct", "direct", "relay")),
                transport=rng.choice(("Bus antarkota", "Mobil Dinsos", "Kapal Pelni")),
                ticket_cost=rupiah(rng, 100_000, 600_000),
                pocket_money=rng.choice((100_000, 150_000, 200_000)),
                escort=self.user_names[worker],
            )
        elif kind == "placement":
            panti = self.orgs["panti"]
            if c.ppks_code == "08":
                org_id, _name = panti[2]  # the balai for the elderly
            elif c.ppks_code in CHILD_TYPES:
                org_id, _name = panti[3]  # the youth home
            else:
                org_id, _name = panti[rng.randrange(2)]
            row.update(
                organisation_id=org_id,
                programme=rng.choice(
                    [
                        "Rehabilitasi sosial dan bimbingan keterampilan",
                        "Pengasuhan dan perawatan lanjut usia",
                        "Perlindungan sementara (shelter)",
                    ]
                ),
                expected_duration=rng.choice(("1 bulan", "3 bulan", "6 bulan", "1 tahun")),
                transport="Mobil Dinsos",
            )
        else:
            others = self.orgs["hospital"] + self.orgs["puskesmas"] + self.orgs["other"]
            if rng.random() < 0.7:
                row["organisation_id"] = rng.choice(others)[0]
            else:
                row["organisation_text"] = rng.choice(SERVICE_TEXTS)
            row["purpose"] = rng.choice(
                [
                    "Pendaftaran BPJS PBI dan pemeriksaan kesehatan di RSUD.",
                    "Pembuatan KTP dan KK yang hilang.",
                    "Pendampingan hukum dan psikologis korban.",
                    "Asesmen dan rehabilitasi rawat jalan.",
                ]
            )
        if decided is not None:
            if status == "rejected":
                row["decision_comment"] = rng.choice(REJECT_REASONS)
            elif status == "returned":
                row["decision_comment"] = rng.choice(RETURN_COMMENTS)
            else:
                row["decision_comment"] = rng.choice(APPROVE_COMMENTS)
        if status == "completed":
            institution = row["organisation_text"] or self.org_names[row["organisation_id"]]
            row.update(
                handover_date=done.date(),
                handover_place=institution,
                receiver_name=self.names.full(rng, rng.choice("LP")),
                receiver_position=RECEIVER_POSITIONS[kind],
                receiver_institution=institution,
                handover_note="Diterima dalam keadaan baik.",
            )
        elif status == "cancelled":
            row["cancel_reason"] = rng.choice(CANCEL_REASONS)
        return row

    def destination(self, c) -> str:
        """The person's home regency when `region` holds it (never the office's own city),
        otherwise a regency of the loaded regions."""
        for code in (c.origin_regency_code, c.regency_code):
            if code in self.regency_names:
                return code
        return self.choose_destination(self.rng)


def weighted_pick(rng, pairs):
    values = [v for v, _ in pairs]
    return rng.choices(values, weights=[w for _, w in pairs])[0]


# --- the seed --------------------------------------------------------------------------------


def seed(url: str, cases: int, rng_seed: int, analyze: bool, replace: bool) -> None:
    started = time.perf_counter()
    prepare_database(url, replace)
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.models import (
        Aid,
        Case,
        CaseClosure,
        CaseEvent,
        CaseSearchTerm,
        Counter,
        LocalCaseType,
        Organisation,
        Person,
        PersonKkHistory,
        ReferenceData,
        Referral,
        Region,
        User,
    )
    from portal.models._base import utcnow
    from portal.services.offices import create_office
    from portal.services.regions import load_regions
    from portal.services.search import case_tokens  # no merges in a fresh seed

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        log("schema built by the migrations", started)
        load_regions(["73", "32", "35", "64"])  # the office's province, and where people go home
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
        for name, kind, address, region in ORGANISATIONS:
            db.session.add(
                Organisation(
                    office_id=office.id, name=name, kind=kind, address=address, region_code=region
                )
            )
        db.session.commit()
        office_id = office.id
        office_region = office.region_code
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
        organisations: dict[str, list[tuple[int, str]]] = {}
        for org_id, name, kind in db.session.execute(
            select(Organisation.id, Organisation.name, Organisation.kind)
            .where(Organisation.office_id == office_id)
            .order_by(Organisation.id)
        ):
            organisations.setdefault(kind, []).append((org_id, name))
        regencies = [
            (code, name)
            for code, name in db.session.execute(
                select(Region.code, Region.name).where(Region.level == 2).order_by(Region.code)
            )
            if code != office_region
        ]
        db.session.commit()  # end the read transaction (the app's SQLite BEGIN IMMEDIATE locks)
        log(f"regions, office, {len(all_users)} users", started)

        tables = {
            "person": Person.__table__,
            "kk": PersonKkHistory.__table__,
            "case": Case.__table__,
            "event": CaseEvent.__table__,
            "term": CaseSearchTerm.__table__,
            "referral": Referral.__table__,
            "aid": Aid.__table__,
            "closure": CaseClosure.__table__,
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
                        "physical_description": LOOKS[pid % len(LOOKS)] if unknown else "",
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
                    source |= {k: person[k] for k in SEARCHED_PERSON_FIELDS}
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
                for token in case_tokens(number, SimpleNamespace(**source)):
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

        # --- second pass: referrals, aid and closures, from the cases as stored ---
        # (after the first pass, so the people, cases and timelines of a seed stay the same)
        outcomes = Outcomes(
            rng,
            office_id=office_id,
            now=now,
            managers=managers,
            users=all_users,
            organisations=organisations,
            regencies=regencies,
        )
        type_names = {type_id: name for name, (type_id, _code) in local_types.items()}
        case_t, person_t = tables["case"].c, Person.__table__.c
        stored = select(
            case_t.id,
            case_t.status,
            case_t.created_at,
            case_t.reported_at,
            case_t.closed_at,
            case_t.assigned_to_id,
            case_t.created_by_id,
            case_t.ppks_code,
            case_t.local_type_id,
            case_t.urgency,
            person_t.origin_regency_code,
            person_t.regency_code,
        ).join_from(tables["case"], Person.__table__, case_t.person_id == person_t.id)
        referral_total = aid_total = closure_total = 0
        for batch_start in range(0, cases, BATCH):
            referrals, aid, closures = [], [], []
            batch = conn.execute(
                stored.where(case_t.id > batch_start, case_t.id <= batch_start + BATCH).order_by(
                    case_t.id
                )
            ).all()
            for row in batch:
                outcomes.add(row, type_names.get(row.local_type_id), referrals, aid, closures)
            insert_rows("referral", referrals)
            insert_rows("aid", aid)
            insert_rows("closure", closures)
            conn.commit()
            referral_total += len(referrals)
            aid_total += len(aid)
            closure_total += len(closures)
            done = min(cases, batch_start + BATCH)
            if done % 50_000 == 0 or done == cases:
                log(
                    f"{done:,} cases: {referral_total:,} referrals, {aid_total:,} aid, "
                    f"{closure_total:,} closures",
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
        # bulk inserts bypass the portal's own upkeep of the tallies: count them once (by
        # month and by day)
        from portal.models import CaseDayTally
        from portal.services import tallies

        tally_rows = tallies.rebuild(office.id)
        db.session.commit()
        day_rows = db.session.scalar(select(func.count()).select_from(CaseDayTally))
        db.session.rollback()  # end the count's transaction: ANALYZE below takes the write lock
        log(f"{tally_rows:,} monthly and {day_rows:,} day tallies built", started)
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
