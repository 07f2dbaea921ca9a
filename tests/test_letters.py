"""Printed letters: their text, paper, archive, verification, voiding, and a renderer that
fetches nothing and reads no file outside the portal's static folder."""

import hashlib
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog, Letter, Organisation
from portal.services import letters as letter_service
from portal.services import pdf as pdf_service
from portal.services import referrals as service
from portal.services.timeutil import local_today

PAYLOADS = [
    '<img src="file:///etc/passwd">',
    '<link rel=stylesheet href="http://127.0.0.1:9/x.css">',
    '<object data="file:///etc/hostname"></object>',
    "<div style=\"background: url('http://127.0.0.1:9/bg.png')\">x</div>",
    '<a rel=attachment href="file:///etc/passwd">lampiran</a>',
]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def page_size_mm(data: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)


@pytest.fixture
def office_ready(world):
    office = world["office"]
    office.city = "Makassar"
    office.head_title = "Kepala Dinas Sosial Kota Makassar"
    office.head_name = "Drs. H. Andi Bakti Mappaewa, M.Si."
    office.head_rank = "Pembina Utama Muda (IV/c)"
    office.head_nip = "196803041990031005"
    office.paper_size = "F4"
    rsj = Organisation(
        office_id=office.id, name="RSJ Dadi Makassar", kind="rsj", region_code="73.71"
    )
    panti = Organisation(
        office_id=office.id, name="UPTD Rehabilitasi Sosial", kind="panti", region_code="73.71"
    )
    dinsos = Organisation(
        office_id=office.id, name="Dinas Sosial Kota Bandung", kind="dinsos", region_code="32.73"
    )
    hospital = Organisation(
        office_id=office.id, name="RSUD Daya", kind="hospital", region_code="73.71"
    )
    db.session.add_all([rsj, panti, dinsos, hospital])
    db.session.commit()
    return {"rsj": rsj, "panti": panti, "dinsos": dinsos, "hospital": hospital}


VALUES = {
    "rsj": lambda o: {"organisation_id": o["rsj"].id, "medical_referral": False,
                      "observations": "Bicara sendiri.", "insurance": "none",
                      "family_status": "informed", "escort": "Tim Dinsos", "transport": "Ambulans"},
    "return_home": lambda o: {"destination_regency_code": "32.73", "organisation_id": o["dinsos"].id,
                              "route": "direct", "transport": "Kapal Pelni", "escort": "Andi",
                              "ticket_cost": 850000, "pocket_money": 200000},
    "placement": lambda o: {"organisation_id": o["panti"].id, "programme": "Rehabilitasi sosial",
                            "expected_duration": "6 bulan"},
    "service": lambda o: {"organisation_id": o["hospital"].id, "purpose": "Pendaftaran BPJS PBI"},
}  # fmt: skip
RECIPIENTS = {
    "rsj": "Direktur RSJ Dadi Makassar",
    "return_home": "Kepala Dinas Sosial Kota Bandung",
    "placement": "Kepala UPTD Rehabilitasi Sosial",
    "service": "Direktur RSUD Daya",
}


def archived(letter_id: int) -> bytes:
    db.session.expire_all()
    return db.session.get(Letter, letter_id).pdf


@pytest.mark.parametrize("kind", ["rsj", "return_home", "placement", "service"])
def test_each_letter_says_what_it_must(world, office_ready, client, kind, factory):
    referral = factory.referral(world["case"], "approved", kind, **VALUES[kind](office_ready))
    letter = referral.letter
    data = archived(letter.id)
    text = pdf_text(data)
    assert letter.number in text
    # the case is PPKS 11 (gelandangan): tuna sosial, 400.9.4
    assert letter_service.format_number(
        "{klasifikasi}/{nomor}/Dinsos/{bulan_romawi}/{tahun}", classification="400.9.4",
        serial=1, issued_on=letter.issued_on, office_code="x",
    ) == letter.number  # fmt: skip
    assert f"Makassar, {letter.issued_on.day} " in text
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]  # fmt: skip
    assert months[letter.issued_on.month - 1] in text
    assert f"Yth. {RECIPIENTS[kind]}" in text
    assert "Andi Baso" in text
    assert "Drs. H. Andi Bakti Mappaewa, M.Si." in text
    assert "NIP. 19680304 199003 1 005" in text
    assert "Tembusan:" in text and "Arsip" in text
    assert letter.code in text
    assert page_size_mm(data) == (215, 330)
    assert letter.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_return_home_also_issues_a_surat_jalan(world, office_ready, client, factory):
    referral = factory.referral(
        world["case"], "approved", "return_home", **VALUES["return_home"](office_ready)
    )
    kinds = [letter.kind for letter in referral.letters]
    assert kinds == ["pengantar_pemulangan", "surat_jalan"]
    travel = referral.letters[1]
    text = pdf_text(archived(travel.id))
    assert "SURAT JALAN" in text and travel.number in text and "Kota Bandung" in text
    assert [letter.serial for letter in referral.letters] == [1, 2]


def test_pemulangan_letters_carry_address_money_validity_and_contacts(
    world, office_ready, client, factory
):
    import pdfplumber

    from portal.services import pemulangan

    dinsos = office_ready["dinsos"]
    dinsos.address, dinsos.phone = "Jl. Soekarno-Hatta No. 518", "(022) 7514082"
    world["worker"].phone = "0812 4455 6677"
    world["office"].phone = "(0411) 873445"
    db.session.commit()
    photo = (pemulangan_photo(), "image/png", "foto.png")
    case = factory.case(world["office"], world["worker"], full_name="Ujang Sopandi", photo=photo)
    factory.aid(case, "transport_ticket", amount=1_250_000, note="tiket Pelni no. 0042")
    values = VALUES["return_home"](office_ready)
    referral = factory.referral(case, "approved", "return_home", **values)
    pengantar, travel = referral.letters
    text = " ".join(pdf_text(archived(pengantar.id)).split())
    assert "Alamat tujuan" in text and "Jl. Soekarno-Hatta No. 518, Kota Bandung" in text
    assert "Jawa Barat" in text
    assert "Kapal Pelni" in text and "Pendamping : Andi" in text
    # the ticket as recorded aid (not the plan), the pocket money as planned (no aid recorded)
    assert (
        "Biaya perjalanan : tiket Rp1.250.000 (tiket Pelni no. 0042); uang saku Rp200.000" in text
    )
    text = " ".join(pdf_text(archived(travel.id)).split())
    start = referral.planned_date
    end = start + timedelta(days=pemulangan.SURAT_JALAN_VALID_DAYS - 1)
    assert f"{pemulangan.SURAT_JALAN_VALID_DAYS} hari" in text
    assert f"{start.day} " in text and f"s.d. {end.day} " in text
    assert "Jl. Soekarno-Hatta No. 518, Kota Bandung" in text
    assert f"Petugas: {world['worker'].full_name}, telepon 0812 4455 6677" in text
    assert "Dinas Sosial Kota Makassar, telepon (0411) 873445" in text
    with pdfplumber.open(io.BytesIO(archived(travel.id))) as pdf:
        assert len(pdf.pages[0].images) == 1  # the traveller's photo (the QR code is vector)
    assert "Ujang Sopandi" in text


def pemulangan_photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (90, 120), (150, 120, 100)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a4_when_the_office_prints_on_a4(world, office_ready, client, factory):
    world["office"].paper_size = "A4"
    db.session.commit()
    referral = factory.referral(
        world["case"], "approved", "placement", **VALUES["placement"](office_ready)
    )
    assert page_size_mm(archived(referral.letter.id)) == (210, 297)


@pytest.mark.office_clock
def test_handover_issues_a_berita_acara_with_both_parties(
    world, office_ready, client, auth, factory
):
    referral = factory.referral(
        world["case"], "approved", "placement", **VALUES["placement"](office_ready)
    )
    auth.login("pekerja")
    response = client.post(
        f"/referrals/{referral.id}/complete",
        data={
            "handover_date": local_today("Asia/Makassar").isoformat(),
            "handover_place": "Aula UPTD",
            "receiver_name": "Hj. Rosmawati",
            "receiver_position": "Kepala Seksi Pelayanan",
            "receiver_institution": "UPTD Rehabilitasi Sosial",
        },
    )
    assert response.status_code == 302
    record = db.session.scalar(select(Letter).where(Letter.kind == "berita_acara"))
    text = " ".join(pdf_text(archived(record.id)).split())  # a line may break anywhere
    assert "BERITA ACARA SERAH TERIMA" in text and record.number in text
    assert "Pada hari ini " in text and " tanggal " in text and " bulan " in text
    assert "PIHAK PERTAMA" in text and "PIHAK KEDUA" in text
    assert "Hj. Rosmawati" in text and "Kepala Seksi Pelayanan" in text and "Aula UPTD" in text
    assert world["worker"].full_name in text and "Andi Baso" in text
    assert referral.letter.number in text  # based on the referral's letter


@pytest.mark.office_clock
def test_berita_acara_prints_the_handover_witnesses(world, office_ready, client, auth, factory):
    referral = factory.referral(
        world["case"], "approved", "placement", **VALUES["placement"](office_ready)
    )
    auth.login("pekerja")
    handover = {
        "handover_date": local_today("Asia/Makassar").isoformat(),
        "handover_place": "Aula UPTD",
        "receiver_name": "Hj. Rosmawati",
        "receiver_position": "Kepala Seksi Pelayanan",
        "receiver_institution": "UPTD Rehabilitasi Sosial",
        "witness1_name": "Bripka Syamsul Alam",
        "witness1_position": "Bhabinkamtibmas Kelurahan Tamalanrea",
        "witness2_name": "",
        "witness2_position": "Ketua RT 003",
    }
    nameless = client.post(f"/referrals/{referral.id}/complete", data=handover)
    assert nameless.status_code == 422 and "Isi juga nama saksi." in nameless.get_data(True)
    assert db.session.get(type(referral), referral.id).status == "approved"
    handover["witness2_name"] = "Hj. Rosmini"
    assert client.post(f"/referrals/{referral.id}/complete", data=handover).status_code == 302
    referral = db.session.get(type(referral), referral.id)
    assert referral.witnesses == [
        {"name": "Bripka Syamsul Alam", "position": "Bhabinkamtibmas Kelurahan Tamalanrea"},
        {"name": "Hj. Rosmini", "position": "Ketua RT 003"},
    ]
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Bripka Syamsul Alam" in page and "Hj. Rosmini" in page
    record = db.session.scalar(select(Letter).where(Letter.kind == "berita_acara"))
    text = " ".join(pdf_text(archived(record.id)).split())
    assert "Saksi-saksi:" in text
    assert "1. Bripka Syamsul Alam, Bhabinkamtibmas Kelurahan Tamalanrea" in text
    assert "2. Hj. Rosmini, Ketua RT 003" in text


def test_berita_acara_without_witnesses_prints_no_witness_block(
    world, office_ready, client, factory
):
    referral = factory.referral(
        world["case"], "completed", "placement", **VALUES["placement"](office_ready)
    )
    assert referral.witnesses == []
    record = next(letter for letter in referral.letters if letter.kind == "berita_acara")
    text = pdf_text(archived(record.id))
    assert "BERITA ACARA SERAH TERIMA" in text and "Saksi" not in text


def test_download_returns_the_archived_bytes_and_is_audited(
    world, office_ready, client, auth, factory
):
    referral = factory.referral(world["case"], "approved", "rsj", **VALUES["rsj"](office_ready))
    letter = referral.letter
    stored = archived(letter.id)
    auth.login("pekerja")
    first = client.get(f"/letters/{letter.id}.pdf")
    second = client.get(f"/letters/{letter.id}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == stored == second.data
    assert first.headers["X-Content-SHA256"] == hashlib.sha256(stored).hexdigest()
    downloads = db.session.scalar(
        select(func.count()).where(
            AuditLog.action == "letter.download", AuditLog.object_id == letter.id
        )
    )
    assert downloads == 2


@pytest.mark.parametrize(
    ("user", "status"), [("pekerja2", 404), ("bpp_manajer", 404), ("admin", 403), ("manajer", 200)]
)
def test_who_may_download(world, office_ready, client, auth, user, status, factory):
    referral = factory.referral(world["case"], "approved", "rsj", **VALUES["rsj"](office_ready))
    auth.login(user)
    assert client.get(f"/letters/{referral.letter.id}.pdf").status_code == status


def test_verify_page_is_public_and_shows_no_personal_data(world, office_ready, client, factory):
    referral = factory.referral(world["case"], "approved", "rsj", **VALUES["rsj"](office_ready))
    letter = referral.letter
    page = client.get(f"/verify/{letter.token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Surat ini asli dan berlaku." in text
    assert letter.number in text and "Dinas Sosial Kota Makassar" in text
    assert "Drs. H. Andi Bakti Mappaewa, M.Si." in text and letter.pdf_sha256 in text
    assert "A. B." in text and "Andi Baso" not in text
    assert "Bicara sendiri" not in text and world["case"].number not in text
    by_code = client.get(f"/verify?code={letter.code.lower().replace('-', '')}")
    assert by_code.status_code == 302 and by_code.headers["Location"].endswith(letter.token)


def test_unknown_token_says_so(client):
    response = client.get("/verify/tidak-ada-token-seperti-ini")
    assert response.status_code == 404
    assert "tidak dikenal" in response.get_data(as_text=True)
    assert client.get("/verify?code=ZZZZ-ZZZZ").status_code == 404


def test_manager_voids_a_letter_and_its_number_is_never_reused(
    world, office_ready, client, auth, factory
):
    referral = factory.referral(world["case"], "approved", "rsj", **VALUES["rsj"](office_ready))
    letter = referral.letter
    auth.login("pekerja")
    assert client.post(f"/letters/{letter.id}/void", data={"reason": "salah"}).status_code == 403
    auth.logout()
    auth.login("manajer")
    client.post(f"/letters/{letter.id}/void", data={"reason": ""})
    assert db.session.get(Letter, letter.id).status == "valid"
    client.post(f"/letters/{letter.id}/void", data={"reason": "Salah alamat RSJ."})
    voided = db.session.get(Letter, letter.id)
    assert voided.status == "void" and voided.void_reason == "Salah alamat RSJ."
    assert "Dibatalkan" in client.get("/letters").get_data(as_text=True)
    assert "DIBATALKAN" in client.get(f"/verify/{letter.token}").get_data(as_text=True)
    assert client.get(f"/letters/{letter.id}.pdf").data == voided.pdf  # still archived
    auth.logout()
    second = factory.referral(
        world["case"], "approved", "placement", **VALUES["placement"](office_ready)
    )
    assert second.letter.serial == 2
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 2
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "letter.void")) == 1


def test_case_report_is_internal_unnumbered_and_audited(world, office_ready, client, auth, factory):
    factory.referral(world["case"], "approved", "rsj", **VALUES["rsj"](office_ready))
    auth.login("pekerja")
    for i in range(70):
        client.post(
            f"/cases/{world['case'].id}/notes", data={"body": f"Kunjungan ke-{i} ke shelter."}
        )
    response = client.get(f"/cases/{world['case'].id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "DOKUMEN INTERNAL" in text and "LAPORAN PENANGANAN KASUS" in text
    assert world["case"].number in text and "Andi Baso" in text
    assert "Kunjungan ke-69 ke shelter." in text and "Rujukan disetujui" in text
    assert "Nomor:" not in text  # not numbered
    assert "Halaman 1 dari" in text  # long: numbered pages
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "case.print"))
    auth.logout()
    auth.login("pekerja2")
    assert client.get(f"/cases/{world['case'].id}/report.pdf").status_code == 404


def test_case_report_tells_the_whole_handling_and_hides_health_data_from_others(
    world, office_ready, client, auth, factory
):
    from portal.services import followups

    case = world["case"]
    world["worker"].position = "Pekerja Sosial Ahli Pertama"
    world["manager"].position, world["manager"].nip = "Kepala Bidang Rehsos", "197406121999031004"
    referral = factory.referral(
        case, "completed", "rsj", **VALUES["rsj"](office_ready), diagnosis="Suspek psikotik F20"
    )
    factory.aid(case, "food", quantity=2, unit="paket")
    factory.aid(case, "pocket_money", amount=1_500_000, note="uang saku perjalanan")
    visit = factory.followup(case, kind="facility_visit")
    followups.record_outcome(
        visit,
        world["worker"],
        followups.Outcome("done", visit.due_date, "Klien tenang, makan teratur.", "Jemput pulang."),
    )
    db.session.commit()
    factory.closure(case, "closed", summary="Klien kembali ke keluarga di Gowa.")
    auth.login("manajer")
    text = " ".join(pdf_text(client.get(f"/cases/{case.id}/report.pdf").data).split())
    assert "Asesmen" in text and "Bicara sendiri." in text and "Suspek psikotik F20" in text
    assert "Intervensi dan rujukan" in text
    for letter in referral.letters:  # the rujukan and the berita acara, by number
        assert letter.number in text
    assert "2 paket" in text and "Rp1.500.000" in text and "uang saku perjalanan" in text
    assert "Klien tenang, makan teratur." in text and "Jemput pulang." in text
    assert "Dikembalikan ke keluarga" in text and "Klien kembali ke keluarga di Gowa." in text
    assert "Mengetahui," in text and "Kepala Bidang Rehsos" in text
    assert "NIP. 19740612 199903 1 004" in text  # the manager who approved the closure
    assert world["worker"].full_name in text and "Pekerja Sosial Ahli Pertama" in text
    auth.logout()
    case.assigned_to_id = world["worker2"].id  # pekerja registered it: sees it, not its health
    db.session.commit()
    auth.login("pekerja")
    text = " ".join(pdf_text(client.get(f"/cases/{case.id}/report.pdf").data).split())
    assert "Intervensi dan rujukan" in text and "Rp1.500.000" in text
    assert "Suspek psikotik F20" not in text and "Bicara sendiri." not in text
    assert "data kesehatan" in text


def test_production_without_a_public_url_issues_no_letter(
    app, world, office_ready, client, auth, factory
):
    """A QR code on an archived letter is forever: never 127.0.0.1 or localhost."""
    referral = factory.referral(
        world["case"], "submitted", "placement", **VALUES["placement"](office_ready)
    )
    app.config.update(TESTING=False, PUBLIC_URL=None)
    try:
        auth.login("manajer")
        response = client.post(
            f"/referrals/{referral.id}/decide", data={"action": "approve"}, follow_redirects=True
        )
        assert "PORTAL_PUBLIC_URL" in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(type(referral), referral.id).status == "submitted"
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0
        app.config["PUBLIC_URL"] = "https://simpul.makassarkota.go.id"
        client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    finally:
        app.config.update(TESTING=True, PUBLIC_URL=None)
    letter = db.session.scalar(select(Letter))
    text = "".join(pdf_text(archived(letter.id)).split())
    assert f"https://simpul.makassarkota.go.id/verify/{letter.token}" in text
    assert "127.0.0.1" not in text and "localhost" not in text


def test_user_text_is_printed_literally_and_fetches_nothing(
    world, office_ready, client, monkeypatch, factory
):
    fetched = []
    original = pdf_service.PortalFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_service.PortalFetcher, "fetch", spy)
    person = world["case"].person
    person.full_name = "Andi " + PAYLOADS[0]
    person.street = PAYLOADS[1] + " " + PAYLOADS[2]
    world["case"].summary = PAYLOADS[3]
    db.session.commit()
    referral = factory.referral(
        world["case"],
        "approved",
        "service",
        **VALUES["service"](office_ready) | {"purpose": PAYLOADS[4] + " " + PAYLOADS[3]},
    )
    text = pdf_text(archived(referral.letter.id))
    for payload in (PAYLOADS[0], 'href="http://127.0.0.1:9/x.css">', "lampiran</a>"):
        assert payload in text.replace("\n", " ")
    assert fetched, "the renderer fetched its own fonts"
    assert all(url.startswith(("simpul-static:", "data:")) for url in fetched), fetched


def test_the_fetcher_refuses_everything_but_static_files_and_data(app):
    fetcher = pdf_service.PortalFetcher(app.static_folder)
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.css", "https://example.com/a.png",
                "simpul-static:../../../../etc/passwd", "simpul-static:/etc/passwd",
                "ftp://127.0.0.1/x"):  # fmt: skip
        with pytest.raises(pdf_service.RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch("simpul-static:fonts/LiberationSans-Regular.ttf").status == 200
    assert fetcher.fetch("data:text/plain;base64,aGFsbw==").status == 200
    html = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>x</p>'
    spy = pdf_service.PortalFetcher(app.static_folder)
    pdf_service.render(html, app.static_folder, fetcher=spy)
    assert "file:///etc/passwd" in spy.refused and "http://127.0.0.1:9/x.css" in spy.refused
    assert not [u for u in spy.served if not u.startswith("simpul-static:")]


def test_signatory_modes_print_as_tata_naskah_says(world, office_ready, client, factory):
    office = world["office"]
    office.signing_mode = "an"
    office.signer_name = "Drs. Muhammad Syarif"
    office.signer_position = "Kepala Bidang Rehabilitasi Sosial"
    office.signer_nip = "197406121999031004"
    db.session.commit()
    referral = factory.referral(
        world["case"], "approved", "placement", **VALUES["placement"](office_ready)
    )
    text = pdf_text(archived(referral.letter.id))
    assert "a.n. Kepala Dinas Sosial Kota Makassar" in text
    assert "Kepala Bidang Rehabilitasi Sosial" in text
    assert "Drs. Muhammad Syarif" in text and "NIP. 19740612 199903 1 004" in text


@pytest.mark.office_clock
def test_letter_issued_yesterday_keeps_its_date(world, office_ready, factory):
    factory.basis(world["case"])  # the referral shares data: services.consent
    yesterday = local_today("Asia/Makassar") - timedelta(days=1)
    values = VALUES["placement"](office_ready) | {"planned_date": yesterday}
    referral = service.create(world["case"], world["worker"], "placement", values)
    service.submit(referral, world["worker"])
    letter = service.approve(referral, world["manager"], today=yesterday)
    db.session.commit()
    letter_service.archive_new(referral.id)
    assert letter.issued_on == yesterday


def test_first_render_in_a_fresh_process_does_not_deadlock(app, monkeypatch):
    """shared_stylesheet() creates the FontConfiguration while holding the font lock."""
    import threading

    monkeypatch.setattr(pdf_service, "_font_config", None)
    monkeypatch.setattr(pdf_service, "_stylesheets", {})
    done = threading.Event()

    def first_render():
        sheet = pdf_service.shared_stylesheet(app.static_folder, "css/letter.css")
        pdf_service.render("<p>x</p>", app.static_folder, stylesheets=[sheet])
        done.set()

    threading.Thread(target=first_render, daemon=True).start()
    assert done.wait(60), "rendering hung"
