"""The whole lifecycle with JavaScript switched off in Chromium: register a stranded man
(province, kab/kota, kecamatan and desa chosen with the "Pilih" buttons), refer him home
(destination chosen the same way), the manager approves on the desk (its details open without
script), the letter gets its number, the handover is recorded and its berita acara issued.
Then a refused referral is corrected on the re-shown form and submitted."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import record_basis
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SOON = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()  # a departure date the form takes


@pytest.fixture
def plain(browser, live_server):
    """A page in a browser context with JavaScript off."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}, locale="id-ID"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else 0)
    yield page
    context.close()
    assert not errors, errors


def login(page, base, username):
    page.goto(f"{base}/login")
    if page.get_by_role("button", name="Keluar").count():  # someone is logged in: log out
        page.get_by_role("button", name="Keluar").click()
        page.goto(f"{base}/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)


def choose(page, select_id, value):
    """Pick an option and press its Pilih button: the form comes back with the next level."""
    page.locator(f"#{select_id}").select_option(value)
    page.locator(f"button[name=refresh][value={select_id}]").click()
    expect(page.locator(f"#{select_id}")).to_have_value(value)


def test_the_lifecycle_without_javascript(plain, live_server):
    page, base = plain, live_server.url
    login(page, base, "pekerja")
    page.goto(f"{base}/cases/new")
    page.locator("#full_name").fill("Daeng Tiro Tanpa Skrip")
    page.locator("input[name=sex][value=L]").check()
    page.locator("#estimated_age").fill("45")
    choose(page, "province_code", "73")
    expect(page.locator("#full_name")).to_have_value("Daeng Tiro Tanpa Skrip")  # kept
    choose(page, "regency_code", "73.71")
    choose(page, "district_code", "73.71.01")
    page.locator("#village_code").select_option(index=1)
    choose(page, "origin_province", "64")
    page.locator("#origin_regency_code").select_option("64.71")
    page.locator("#category").select_option("P:11")
    page.locator("#channel").select_option(index=1)
    page.locator("#summary").fill("Terlantar di pelabuhan, ingin pulang ke Balikpapan.")
    page.get_by_role("button", name="Simpan dan beri nomor kasus").click()
    expect(page.get_by_text(re.compile(r"Kasus KS-\d{4}-\d+ sudah didaftarkan"))).to_be_visible()
    case_url = page.url
    record_basis(page, case_url)  # the referral shares his data: its basis first

    # Home to Balikpapan: the destination starts from the recorded origin.
    page.goto(f"{case_url}/referrals/new?kind=return_home")
    expect(page.locator("#destination_regency_code")).to_have_value("64.71")
    choose(page, "destination_province", "64")
    page.locator("#route").select_option("direct")
    page.locator("#transport").fill("Kapal Pelni KM Bukit Siguntang")
    page.locator("#escort").fill("Rina")
    page.locator("#planned_date").fill(SOON)
    page.get_by_role("button", name="Simpan dan ajukan ke manajer").click()
    expect(page.get_by_text("menunggu keputusan manajer")).to_be_visible()

    login(page, base, "manajer")
    page.goto(f"{base}/approvals")
    item = page.locator("li.approval").filter(has_text="Daeng Tiro Tanpa Skrip")
    item.locator("summary").click()  # <details> opens without script
    item.get_by_role("button", name="Setujui").click()
    expect(page.get_by_text(re.compile(r"Rujukan disetujui\. Nomor surat: \S+"))).to_be_visible()
    referral_url = page.url

    login(page, base, "pekerja")
    page.goto(f"{referral_url}/complete")
    page.locator("#handover_place").fill("Kantor Dinas Sosial Kota Balikpapan")
    page.locator("#receiver_name").fill("Hj. Sitti Aminah")
    page.locator("#receiver_position").fill("Kepala Seksi Rehabilitasi Sosial")
    page.get_by_role("button", name="Simpan serah terima").click()
    expect(page.get_by_text("Serah terima dicatat")).to_be_visible()
    expect(page.locator("ul.letters")).to_contain_text("Berita acara")

    # Follow-up, its outcome from /tasks, aid given, and the closure request.
    page.goto(f"{case_url}/follow-ups/new")
    page.locator("#kind").select_option("phone_call")
    page.locator("#due_in").fill("1")
    page.locator("#purpose").fill("Telepon Dinsos Balikpapan: sudah tiba?")
    page.get_by_role("button", name="Jadwalkan").click()
    expect(page.locator(".flash-success")).to_contain_text("Tindak lanjut dijadwalkan")
    page.goto(f"{base}/tasks")
    page.locator("li.task").filter(has_text="sudah tiba?").get_by_role(
        "link", name="Catat hasil"
    ).click()
    page.get_by_label("Terlaksana").check()
    page.locator("#findings").fill("Sudah tiba dan diterima keluarga.")
    page.get_by_role("button", name="Simpan hasil").click()
    expect(page.locator(".flash-success")).to_contain_text("Hasil tindak lanjut dicatat")
    page.goto(f"{case_url}/aid/new")
    page.locator("#kind").select_option("food")
    page.locator("#quantity").fill("2")
    page.locator("#unit").fill("paket")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#bantuan")).to_contain_text("2 paket")
    page.goto(case_url)
    page.get_by_role("link", name="Tutup kasus").click()
    page.locator("#reason").select_option("returned_origin")
    page.locator("#summary").fill("Dipulangkan ke Balikpapan dan diterima keluarga.")
    page.get_by_role("button", name="Ajukan penutupan").click()
    expect(page.locator(".flash-success")).to_contain_text("menunggu persetujuan manajer")

    login(page, base, "manajer")
    page.goto(f"{base}/approvals?kind=closure")
    item = page.locator("li.approval-closure").filter(has_text="Daeng Tiro Tanpa Skrip")
    item.locator("summary").click()
    item.get_by_role("button", name="Setujui penutupan").click()
    page.goto(case_url)
    expect(page.locator(".closure-banner")).to_contain_text("Kasus ditutup")


def test_a_refused_referral_is_corrected_and_submitted(plain, live_server):
    case = live_server.add_case(full_name="Baso Koreksi")
    page, base = plain, live_server.url
    login(page, base, "pekerja")
    record_basis(page, f"{base}/cases/{case['id']}")
    page.goto(f"{base}/cases/{case['id']}/referrals/new?kind=return_home")
    page.get_by_role("button", name="Simpan dan ajukan ke manajer").click()
    expect(page.get_by_text("belum dapat diajukan")).to_be_visible()  # kept as a draft
    choose(page, "destination_province", "35")
    page.locator("#destination_regency_code").select_option("35.78")
    page.locator("#route").select_option("direct")
    page.locator("#transport").fill("Bus")
    page.locator("#planned_date").fill(SOON)
    page.get_by_role("button", name="Simpan dan ajukan ke manajer").click()
    expect(page.get_by_text("Pendamping wajib diisi sebelum diajukan").first).to_be_visible()
    page.locator("#escort").fill("Rina")
    page.get_by_role("button", name="Simpan dan ajukan ke manajer").click()
    expect(page.get_by_text("menunggu keputusan manajer")).to_be_visible()
    expect(page.get_by_text("sudah diubah orang lain")).to_have_count(0)
