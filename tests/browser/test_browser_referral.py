"""A social worker submits an RSJ referral, the manager approves it on /approvals without
leaving the page, and the letter number appears on the case's timeline."""

import re

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Letter, Organisation

pytestmark = pytest.mark.browser


def test_rsj_referral_submitted_approved_and_numbered(ui, live_server):
    case = live_server.add_case(full_name="Tanpa Nama Pasar Terong")
    with live_server.seed():
        db.session.add(
            Organisation(
                office_id=live_server.data["office_id"], name="RSJ Dadi Makassar", kind="rsj"
            )
        )
    page = ui.page
    ui.login("pekerja")
    page.goto(ui.url(f"/cases/{case['id']}"))
    page.get_by_role("link", name="+ Buat rujukan").click()
    page.get_by_role("link", name="Rujukan ke Rumah Sakit Jiwa (RSJ)").click()
    page.select_option("#organisation_id", label="RSJ Dadi Makassar")
    page.get_by_label("Tidak", exact=True).check()
    page.fill("#observations", "Bicara sendiri, tidak mengenali tempat dan waktu.")
    page.fill("#diagnosis", "Suspek psikotik")
    page.select_option("#insurance", "none")
    page.select_option("#family_status", "informed")
    page.fill("#escort", "Rina, Baso")
    page.fill("#transport", "Ambulans Dinsos")
    page.fill("#planned_date", "2026-11-25")
    page.get_by_role("button", name="Simpan dan ajukan ke manajer").click()
    # the case has no basis of processing yet: the draft is kept and the page says where to go
    expect(page.get_by_text("Dasar pemrosesan data").first).to_be_visible()
    page.get_by_role("link", name="Catat dasar pemrosesan").click()
    page.get_by_label("Pelindungan kepentingan vital (huruf d)").check()
    page.locator("#note").fill("Ditemukan sendirian, keluarga belum ditemukan.")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Dasar pemrosesan data disimpan")
    page.get_by_role("button", name="Ajukan ke manajer").click()  # back on the referral
    expect(page.locator(".flash-success")).to_contain_text("menunggu keputusan manajer")
    expect(page.get_by_text("Menunggu keputusan").first).to_be_visible()
    ui.screenshot("referral-submitted")

    page.get_by_role("button", name="Keluar").click()
    ui.login("manajer")
    page.goto(ui.url("/approvals"))
    expect(page.locator("#approvals-count")).to_have_text("1")
    item = page.locator("li.approval").first
    expect(item).to_contain_text(case["number"])
    expect(item).not_to_contain_text("Suspek psikotik")  # health data stays off the list
    ui.mark_document()
    item.locator("summary").click()  # the details open in place
    item.get_by_role("button", name="Setujui").dblclick()  # a double click issues one letter
    # approving renders and archives the letter before answering: slow on a busy machine
    expect(item.locator(".alert-ok")).to_contain_text("Nomor surat", timeout=30_000)
    number = item.locator(".alert-ok strong").inner_text()
    # the code follows the case's category (PPKS 11, gelandangan: tuna sosial 400.9.4)
    assert re.fullmatch(r"400\.9\.4/1/Dinsos/[IVX]+/\d{4}", number), number
    assert ui.same_document(), "approving reloaded the page"
    expect(page.locator("#approvals-count")).to_have_text("")
    ui.screenshot("approvals-approved")
    page.goto(ui.url("/letters"))
    expect(page.locator("tbody tr").filter(has_text=case["number"])).to_have_count(1)

    page.goto(ui.url(f"/cases/{case['id']}"))
    timeline = page.locator("#timeline-card .timeline")
    expect(timeline.locator(".event-referral_approved")).to_contain_text(number)
    ui.screenshot("case-timeline-letter-number")

    # The letter: download it from the referral page, then verify it as anyone holding the paper.
    page.locator(".event-referral_approved a").first.click()
    link = page.get_by_role("link", name="Unduh PDF").first
    expect(link).to_be_visible()
    pdf = page.request.get(ui.url(link.get_attribute("href")))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"
    with live_server.app.app_context():
        token = db.session.scalar(db.select(Letter.token).where(Letter.number == number))
    page.get_by_role("button", name="Keluar").click()
    page.goto(ui.url(f"/verify/{token}"))
    expect(page.get_by_text("Surat ini asli dan berlaku.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(number)
    expect(page.locator("body")).not_to_contain_text("Tanpa Nama Pasar Terong")
    ui.screenshot("verify-page")
    assert ui.problems() == []
