"""The printed letters' layout, read back from the PDF's word positions (pdfplumber): every letter
kind on A4 and F4, signed by the head and a.n./Plt./Plh., with short and long content. No two
words overlap (nor a word and an image: the QR code, the logo, a photo), no text leaves the
printable area, each signature block stays on one page with its heading and the closing
sentence, and a normal berita acara fits on one page.

Renders go straight through the letters service with the factory's data changed in memory
(nothing is committed), about 30 renders in all. Set LETTER_LAYOUT_DUMP=/some/dir to keep the
PDFs (then `pdftoppm -r 60 -png` them and look)."""

import io
import os
from datetime import date, datetime

import pdfplumber
import pytest
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attachment
from portal.services import case_report
from portal.services import letters as letter_service
from portal.services.letter_settings import FONT_SIZES, MARGINS

MM = 72 / 25.4
MARGIN = {"top": 15, "right": 20, "bottom": 15, "left": 25}  # letter.css @page, in mm
PAPER_MM = {
    "A4": (210, 297),
    "F4": (215, 330),
    "A4-landscape": (297, 210),
    "F4-landscape": (330, 215),
}
MODES = ("head", "an", "plt", "plh")
KINDS = (
    "rujukan_rsj",
    "pengantar_pemulangan",
    "surat_jalan",
    "rujukan_panti",
    "rujukan_layanan",
    "berita_acara",
)
REFERRAL_KIND = {
    "rujukan_rsj": "rsj",
    "pengantar_pemulangan": "return_home",
    "surat_jalan": "return_home",
    "rujukan_panti": "placement",
    "rujukan_layanan": "service",
    "berita_acara": "placement",
}
CLOSING = {  # the sentence a signature block must never be separated from
    "rujukan_rsj": "Demikian surat rekomendasi ini",
    "pengantar_pemulangan": "Atas perhatian dan kerja sama Saudara",
    "surat_jalan": "Kepada pihak yang berwenang",
    "rujukan_panti": "Demikian surat rujukan ini",
    "rujukan_layanan": "Atas perhatian dan kerja sama Saudara",
    "berita_acara": "Demikian berita acara ini",
}

LONG_WORD = ("Tamalanrea" * 12)[:120]  # 120 characters without a space
LONG_NAME = (
    "Hj. Andi Besse Tenri Ajeng Daeng Matasa binti H. Muhammad Arsyad Daeng Mappasomba "
    "Karaeng Lompo Sitti Nurhalizah Rahman"
)
LONG_TEXT = (
    "Ditemukan berjalan tanpa alas kaki di sepanjang jalan poros, berbicara sendiri, tidak "
    "mampu menyebutkan nama maupun alamat; menurut warga sudah terlihat di sekitar pasar sejak "
    f"dua minggu lalu; catatan petugas {LONG_WORD} selesai. " * 2
)

SHORT = {
    "office": {
        "name": "Dinas Sosial Kota Makassar",
        "government_line": "Pemerintah Kota Makassar",
        "address": "Jl. Arief Rate No. 8, Makassar 90111",
        "phone": "(0411) 873445",
        "email": "dinsos@makassarkota.go.id",
        "website": "dinsos.makassarkota.go.id",
        "head_title": "Kepala Dinas Sosial Kota Makassar",
        "head_name": "Drs. H. Andi Bakti Mappaewa, M.Si.",
        "head_rank": "Pembina Utama Muda (IV/c)",
        "head_nip": "196803041990031005",
        "signer_name": "Drs. Muhammad Syarif",
        "signer_rank": "Pembina (IV/a)",
        "signer_nip": "197406121999031004",
        "signer_position": "Sekretaris",
        "letter_copies": None,
    },
    "person": {
        "identity_known": True,
        "full_name": "Andi Baso",
        "birth_place": "Gowa",
        "street": "Jl. Perintis Kemerdekaan No. 10",
    },
    "referral": {
        "observations": "Gelisah, berbicara sendiri.",
        "escort": "Tim Reaksi Cepat Dinsos",
        "transport": "Ambulans",
        "purpose": "Pendaftaran BPJS PBI",
        "programme": "Rehabilitasi sosial",
        "handover_place": "Ruang IGD RSJ Dadi Makassar",
        "receiver_name": "Ns. Hasanah, S.Kep.",
        "receiver_position": "Perawat Jaga",
        "receiver_institution": "UPTD Rehabilitasi Sosial",
        "handover_note": "Barang bawaan: satu tas pakaian.",
        "family_contact": "",
        "ticket_cost": 350_000,
        "pocket_money": 150_000,
    },
    "organisation": {"address": "Jl. Soekarno-Hatta No. 518", "phone": "(022) 7514082"},
    "worker_phone": "0812 4455 6677",
    "recipient": "",  # as issued
    "handed_by": {"full_name": "Petugas Pekerja Sosial", "position": "Pekerja Sosial"},
}
LONG = {
    "office": SHORT["office"]
    | {
        "name": "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak Kota Makassar",
        "address": "Jl. Arief Rate No. 8, Kelurahan Ujung Pandang Baru, Kecamatan Tallo, "
        "Kota Makassar, Sulawesi Selatan 90111 (gedung B lantai 2, samping kantor camat)",
        "head_title": "Kepala Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak "
        "Kota Makassar",
        "head_name": "Prof. Dr. Hj. Andi Tenri Sompa Daeng Ngasseng Karaeng Bonto, S.Sos., "
        "M.Si., M.Kes.",
        "signer_name": "Dr. H. Muhammad Syarifuddin Daeng Mattawang Karaeng Labbiri, S.H., M.H.",
        "signer_position": "Kepala Bidang Rehabilitasi Sosial dan Perlindungan Jaminan Sosial",
        "letter_copies": {
            kind: [f"Kepala Bidang {i} Dinas Kesehatan Provinsi Sulawesi Selatan" for i in range(9)]
            + [LONG_WORD]
            for kind in KINDS
        },
    },
    "person": {
        "identity_known": True,
        "full_name": LONG_NAME,
        "birth_place": "Kabupaten Kepulauan Pangkajene dan Kepulauan",
        "street": "Kompleks Perumahan Bumi Tamalanrea Permai Blok AA nomor 17, lorong "
        f"belakang masjid, {LONG_WORD}, RT 003 RW 011",
    },
    "referral": {
        "observations": LONG_TEXT,
        "escort": "Tim Reaksi Cepat Dinas Sosial Kota Makassar bersama Bhabinkamtibmas "
        "Kelurahan Tamalanrea dan dua orang keluarga dekat",
        "transport": "Kapal Pelni KM Lambelu kelas ekonomi",
        "purpose": LONG_TEXT,
        "programme": "Rehabilitasi sosial berbasis panti dengan pendampingan psikososial",
        "handover_place": "Ruang Instalasi Gawat Darurat Rumah Sakit Khusus Daerah Dadi "
        "Provinsi Sulawesi Selatan, Jl. Lanto Daeng Pasewang No. 34 Makassar",
        "receiver_name": LONG_NAME[:100],
        "receiver_position": "Kepala Seksi Pelayanan dan Rehabilitasi Sosial Tuna Sosial",
        "receiver_institution": "Unit Pelaksana Teknis Daerah Rehabilitasi Sosial Orang "
        "Dengan Gangguan Jiwa Provinsi Sulawesi Selatan",
        "handover_note": LONG_TEXT,
        "family_contact": "Kakak kandung, Hj. Sitti Aminah, telepon 0812 4455 6677 " + LONG_WORD,
        "ticket_cost": 12_750_000,
        "pocket_money": 1_500_000,
    },
    "organisation": {
        "address": "Kompleks Perkantoran Pemerintah Kota Bandung, Jl. Soekarno-Hatta No. 518, "
        f"Kelurahan Sekejati, Kecamatan Buahbatu, gedung C lantai 3, {LONG_WORD}",
        "phone": "(022) 7514082, (022) 7514083, WA 0813 2200 1122",  # 50 at most
    },
    "worker_phone": "0812 4455 6677 / 0853 9900 1122 (WhatsApp)",  # 50 at most
    "recipient": "Direktur Rumah Sakit Khusus Daerah Dadi Provinsi Sulawesi Selatan u.p. "
    "Kepala Instalasi Rehabilitasi Psikososial",
    "handed_by": {
        "full_name": "Muhammad Nur Alamsyah Daeng Sitaba, S.Sos., M.Kesos.",
        "position": "Pekerja Sosial Ahli Muda pada Bidang Rehabilitasi Sosial",
    },
}
UNKNOWN = SHORT | {
    "person": {
        "identity_known": False,
        "full_name": "",
        "found_place": "Depan Pasar Terong, Jl. Terong, Kecamatan Bontoala",
        "found_at": datetime(2026, 11, 20, 0, 30),  # stored UTC: 08.30 WITA
        "physical_description": "Laki-laki, rambut gondrong beruban, kulit sawo matang, "
        "tinggi sekitar 165 cm, kaos biru lusuh, bekas luka di pelipis kiri.",
    },
}
WITNESSES = [
    {"name": "Bripka Syamsul Alam", "position": "Bhabinkamtibmas Kelurahan Tamalanrea"},
    {"name": "Hj. Rosmini", "position": "Ketua RT 003"},
]
CONTENTS = {"short": SHORT, "long": LONG, "unknown": UNKNOWN, "photo": LONG}  # photo: identified


def plan(kind: str) -> list[tuple[str, str, str]]:
    """(paper, content, mode) for one kind: each paper with short and long content, the modes
    rotated so that every kind and every paper is signed in all four modes; an unidentified
    person on the ODGJ letters; the berita acara in every mode on both papers, and with two
    witnesses: one page on A4 and F4 in every mode."""
    k = KINDS.index(kind)
    rows = [
        (paper, content, MODES[(k + 2 * p + c) % 4])
        for p, paper in enumerate(("A4", "F4"))
        for c, content in enumerate(("short", "long"))
    ]
    if kind in ("rujukan_rsj", "surat_jalan", "berita_acara"):  # the commonest ODGJ letters
        rows.append(("F4" if k % 2 else "A4", "unknown", MODES[k % 4]))
    if kind == "berita_acara":  # a normal handover is one page in every mode, on both papers
        done = {(paper, mode) for paper, content, mode in rows if content == "short"}
        rows += [
            (paper, "short", mode)
            for paper in ("A4", "F4")
            for mode in MODES
            if (paper, mode) not in done
        ]
        rows += [(paper, "witnesses", mode) for paper in ("A4", "F4") for mode in MODES]
    if kind in ("pengantar_pemulangan", "surat_jalan"):  # an identified traveller's photo
        rows += [("A4", "photo", MODES[(k + 1) % 4]), ("F4", "photo", MODES[(k + 3) % 4])]
    return rows


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 120), (150, 120, 100)).save(buffer, "PNG")
    return buffer.getvalue()


def arrange(world, factory, kind):
    """The kind's letter, issued through the referral service (not archived)."""
    case = world["case"]
    state = "completed" if kind == "berita_acara" else "approved"
    referral = factory.referral(case, state, REFERRAL_KIND[kind], archive=False)
    letter = next(item for item in referral.letters if item.kind == kind)
    photo = Attachment(
        office_id=case.office_id,
        person_id=case.person_id,
        kind="photo",
        mimetype="image/png",
        size=1,
        sha256="0" * 64,
        data=photo_bytes(),
    )
    db.session.add(photo)
    for doc_type, doc_date in (("polisi", date(2026, 11, 20)), ("tiket", date(2026, 11, 28)), ("ktp", None)):  # fmt: skip
        db.session.add(
            Attachment(
                office_id=case.office_id,
                person_id=case.person_id,
                case_id=case.id,
                kind="document",
                doc_type=doc_type,
                doc_date=doc_date,
                pages=2 if doc_type == "tiket" else 1,
                mimetype="application/pdf",
                size=1,
                sha256="0" * 64,
                data=b"%PDF-",
            )
        )
    db.session.flush()
    letter.issued_recipient = letter.recipient
    return letter, referral, photo


def lampiran_ids(referral, content) -> list[int]:
    """The case's documents the letter carries: the police statement and the ticket (and the
    KTP in long letters); none in the unidentified person's."""
    if content == "unknown":
        return []
    wanted = ("polisi", "tiket", "ktp") if content in ("long", "photo") else ("polisi", "tiket")
    items = db.session.scalars(select(Attachment).where(Attachment.case_id == referral.case_id))
    return [item.id for item in items if item.doc_type in wanted]


def apply(world, letter, referral, photo, paper, content, mode):
    values = CONTENTS.get(content, SHORT)
    office = world["office"]
    for name, value in values["office"].items():
        setattr(office, name, value)
    office.paper_size = paper
    office.signing_mode = mode
    person = world["case"].person
    person.identity_known, person.full_name, person.photo_id = True, "Andi Baso", None
    for name, value in values["person"].items():
        setattr(person, name, value)
    if content in ("unknown", "photo"):
        person.photo_id = photo.id
    for name, value in values["referral"].items():
        setattr(referral, name, value)
    referral.attachment_ids = lampiran_ids(referral, content)
    if referral.organisation is not None:
        for name, value in values["organisation"].items():
            setattr(referral.organisation, name, value)
    world["worker"].phone = values["worker_phone"]
    referral.handover_date = date(2026, 12, 1)
    witnesses = WITNESSES if content == "witnesses" else []
    for i in (1, 2):  # as the handover form stores them: up to two, name and position
        given = witnesses[i - 1] if len(witnesses) >= i else {"name": "", "position": ""}
        setattr(referral, f"witness{i}_name", given["name"])
        setattr(referral, f"witness{i}_position", given["position"])
    letter.recipient = values["recipient"] or letter.issued_recipient
    handed_by = db.session.get(type(world["worker"]), letter.created_by_id)
    for name, value in values["handed_by"].items():
        setattr(handed_by, name, value)
    handed_by.nip = "198501012010011002"
    for name, value in letter_service.signatory(office).items():
        setattr(letter, name, value)
    return handed_by


def squeeze(text: str) -> str:
    return "".join(text.split())


def overlaps(a, b, slack=0.4) -> bool:
    return (
        min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack
    )


def layout_problems(data: bytes, paper: str, margin=None) -> tuple[list[str], list[str]]:
    """(problems, the text of each page) of a rendered letter (`margin`: the office's, in mm)."""
    margin = margin or MARGIN
    problems, texts = [], []
    width_mm, height_mm = PAPER_MM[paper]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            assert round(page.width / MM) == width_mm and round(page.height / MM) == height_mm
            # the printable area: the text column between the side margins (1 mm to spare),
            # and 5 mm from the top and bottom edges (page numbers sit in the top margin)
            left, right = (margin["left"] - 1) * MM, page.width - (margin["right"] - 1) * MM
            top, bottom = 5 * MM, page.height - 5 * MM
            for char in page.chars:
                inside = left <= char["x0"] and char["x1"] <= right
                inside = inside and top <= char["top"] and char["bottom"] <= bottom
                if char["text"].strip() and not inside:
                    problems.append(f"p{number}: {char['text']!r} off the printable area")
                    break
            words = page.extract_words(use_text_flow=True)
            boxes = words + [dict(image, text="<image>") for image in page.images]
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    if overlaps(a, b):
                        problems.append(f"p{number}: {a['text']!r} overlaps {b['text']!r}")
            texts.append(page.extract_text() or "")
    return problems, texts


def signature_blocks(kind, letter, referral, handed_by) -> list[tuple[str, ...]]:
    """Needles that must all be on one page: a heading, the closing line, a name, a NIP."""
    signatory = (
        letter.signatory_position.split("\n")[-1] + ",",
        letter.signatory_name[:20],
        "NIP." + squeeze(letter_service_nip(letter.signatory_nip)),
    )
    if kind != "berita_acara":
        return [(CLOSING[kind], *signatory)]
    return [
        (CLOSING[kind], "Yangmenerima,", referral.receiver_name[:16]),
        (CLOSING[kind], "Yangmenyerahkan,", handed_by.full_name[:16]),
        ("Mengetahui,", *signatory),
    ]


def letter_service_nip(value: str) -> str:
    from portal.template_helpers import nip

    return nip(value)


@pytest.mark.parametrize("kind", KINDS)
def test_letters_lay_out_on_both_papers_in_every_signatory_mode(world, factory, kind):
    letter, referral, photo = arrange(world, factory, kind)
    dump = os.environ.get("LETTER_LAYOUT_DUMP")
    failures = []
    for paper, content, mode in plan(kind):
        handed_by = apply(world, letter, referral, photo, paper, content, mode)
        data = letter_service.render_letter(letter)
        label = f"{kind}-{paper}-{content}-{mode}"
        if dump:
            os.makedirs(dump, exist_ok=True)
            with open(os.path.join(dump, label + ".pdf"), "wb") as handle:
                handle.write(data)
        problems, pages = layout_problems(data, paper)
        squeezed = [squeeze(text) for text in pages]
        for needles in signature_blocks(kind, letter, referral, handed_by):
            needles = [squeeze(needle) for needle in needles]
            if not any(all(n in text for n in needles) for text in squeezed):
                problems.append(f"signature block split from its heading: {needles}")
        normal = content in ("short", "unknown", "witnesses")
        if kind == "berita_acara" and normal:
            if len(pages) != 1:
                problems.append(f"a normal berita acara takes {len(pages)} pages")
            if "Selasatanggalsatubulan" not in squeezed[0]:
                problems.append("the handover's day is not spelled out")
        if content == "short" and len(pages) != 1:  # tembusan included
            problems.append(f"a short letter takes {len(pages)} pages")
        if content == "witnesses":
            whole = "".join(squeezed)
            for witness in WITNESSES:
                words = f"{witness['name']} {witness['position']}".split()  # in columns
                if not all(word in whole for word in words):
                    problems.append(f"witness {witness['name']} is not printed")
        if letter.kind == referral.declaration.letter:  # the referral's letter: its Lampiran
            carried = len(letter_service.attachments.for_letter(referral))
            count = f"Lampiran:{carried}(" if carried else "Lampiran:-"
            if count not in squeezed[0]:
                problems.append(f"the heading does not say {count}")
            if carried and "Suratketerangankepolisiantanggal20" not in "".join(squeezed):
                problems.append("the police statement is not listed")  # beside the tembusan
        if content == "unknown":
            whole = "".join(squeezed)
            if "identitasbelumdiketahui" not in whole or "Tanpaidentitas" in whole:
                problems.append("an unidentified person is not described as such")
        if len(pages) > 1 and "-2-" not in squeezed[1][:12]:
            problems.append("page 2 is not numbered at its top")
        if "-1-" in squeezed[0]:
            problems.append("page 1 carries a page number")
        failures += [f"{label}: {problem}" for problem in problems]
    assert not failures, "\n".join(failures[:40])


def test_kop_names_the_office_from_its_settings(world, factory):
    letter, referral, photo = arrange(world, factory, "rujukan_panti")
    apply(world, letter, referral, photo, "A4", "long", "head")
    world["office"].government_line = "Pemerintah Kota Makassar"
    world["office"].name = "Dinas Sosial Kota Makassar"
    text = "\n".join(layout_problems(letter_service.render_letter(letter), "A4")[1])
    assert "PEMERINTAH KOTA MAKASSAR\nDINAS SOSIAL\n" in text
    world["office"].name = "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak"
    text = "\n".join(layout_problems(letter_service.render_letter(letter), "A4")[1])
    assert "DINAS SOSIAL, PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK" in text.replace("\n", " ")


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_rekap_prints_every_column_on_a_landscape_page(world, factory, paper):
    """The recap's widest table (18 columns) on a landscape page: no column cut, nothing off
    the page, no words on top of each other; Rupiah written out."""
    from portal.services import report_export, reports

    office = world["office"]
    office.paper_size = paper
    for key, value in LONG["office"].items():
        setattr(office, key, value)
    factory.aid(world["case"], "pocket_money", amount=1_500_000)
    factory.aid(world["case2"], "food", quantity=3, unit="paket")
    today = factory.today(office)
    report = reports.build(world["manager"], reports.Period.month(today.year, today.month))
    data = report_export.to_pdf(report, office, world["manager"], today)
    dump = os.environ.get("LETTER_LAYOUT_DUMP")
    if dump:
        os.makedirs(dump, exist_ok=True)
        with open(os.path.join(dump, f"rekap_laporan-{paper}.pdf"), "wb") as handle:
            handle.write(data)
    problems, pages = layout_problems(data, f"{paper}-landscape")
    assert not problems, "\n".join(problems[:40])
    whole = squeeze(" ".join(pages))
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the first table's heading row, cell by cell
        cells = pdf.pages[0].extract_tables()[0][0]
    printed = [" ".join((cell or "").replace("\u2010\n", "").split()) for cell in cells]
    assert printed == report_export.table_header()  # every column, none cut
    assert "Rp1.500.000" in whole


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_case_report_lays_out_on_both_papers(world, factory, paper):
    """The laporan penanganan kasus with every section filled (long texts): nothing off the page,
    no words on top of each other, both signatures on one page with their heading."""
    from portal.services import followups

    office, case, manager = world["office"], world["case"], world["manager"]
    office.paper_size = paper
    for key, value in LONG["office"].items():
        setattr(office, key, value)
    manager.position, manager.nip = LONG["office"]["signer_position"], "197406121999031004"
    referral = factory.referral(case, "completed", "return_home", archive=False)
    for name, value in LONG["referral"].items():
        setattr(referral, name, value)
    factory.aid(case, "transport_ticket", amount=12_750_000, note=LONG_TEXT[:300])
    factory.aid(case, "food", quantity=3, unit="paket")
    visit = factory.followup(case, kind="dinsos_coordination")
    outcome = followups.Outcome("done", visit.due_date, LONG_TEXT, "Kunjungan rumah bulan depan.")
    followups.record_outcome(visit, world["worker"], outcome)
    db.session.commit()
    factory.closure(case, "closed", reason="returned_origin", summary=LONG_TEXT)
    data = case_report.print_case_report(case, manager, today=factory.today(office))
    dump = os.environ.get("LETTER_LAYOUT_DUMP")
    if dump:
        os.makedirs(dump, exist_ok=True)
        with open(os.path.join(dump, f"laporan_kasus-{paper}.pdf"), "wb") as handle:
            handle.write(data)
    problems, pages = layout_problems(data, paper)
    squeezed = [squeeze(text) for text in pages]
    needles = ["Mengetahui,", manager.full_name, world["worker"].full_name, "NIP.19740612"]
    if not any(all(squeeze(n) in text for n in needles) for text in squeezed):
        problems.append("the signatures are split from each other or their heading")
    assert not problems, "\n".join(problems[:40])


EXTREMES = {  # the office settings at their limits (services/letter_settings.py)
    "largest": ({side: limits[3] for side, limits in MARGINS.items()}, max(FONT_SIZES)),
    "smallest": ({side: limits[2] for side, limits in MARGINS.items()}, min(FONT_SIZES)),
}


@pytest.mark.parametrize("kind", KINDS)
def test_letters_lay_out_at_the_extreme_margin_and_font_settings(world, factory, kind):
    """Largest font with the widest margins on A4 (the least room), and the smallest on F4,
    with short and long content: no overlap, nothing off the text column, signatures whole."""
    letter, referral, photo = arrange(world, factory, kind)
    office, failures = world["office"], []
    rows = [("largest", "A4", "short"), ("largest", "A4", "long"), ("smallest", "F4", "long")]
    for extreme, paper, content in rows:
        margins, font = EXTREMES[extreme]
        handed_by = apply(world, letter, referral, photo, paper, content, "an")
        for side, value in margins.items():
            setattr(office, f"letter_margin_{side}", value)
        office.letter_font_size = font
        data = letter_service.render_letter(letter)
        if os.environ.get("LETTER_LAYOUT_DUMP"):
            name = f"{kind}-{extreme}-{paper}-{content}.pdf"
            with open(os.path.join(os.environ["LETTER_LAYOUT_DUMP"], name), "wb") as handle:
                handle.write(data)
        problems, pages = layout_problems(data, paper, margins)
        squeezed = [squeeze(text) for text in pages]
        for needles in signature_blocks(kind, letter, referral, handed_by):
            needles = [squeeze(needle) for needle in needles]
            if not any(all(n in text for n in needles) for text in squeezed):
                problems.append(f"signature block split from its heading: {needles}")
        if len(pages) > 1 and "-2-" not in squeezed[1][:12]:
            problems.append("page 2 is not numbered at its top")
        failures += [f"{kind}-{extreme}-{paper}-{content}: {p}" for p in problems]
    assert not failures, "\n".join(failures[:40])
