"""A social worker schedules a follow-up, finds it on /tasks, records its outcome and asks to
close the case; the manager approves the closure on /approvals without leaving the page; the
case is then reopened with a reason and is active again."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_follow_up_outcome_closure_approval_and_reopening(ui, live_server):
    case = live_server.add_case(full_name="Baso Pasar Terong")
    page = ui.page
    ui.login("pekerja")

    # Schedule a follow-up in two working days (the page says which date that is).
    page.goto(ui.url(f"/cases/{case['id']}"))
    page.get_by_role("link", name="+ Jadwalkan tindak lanjut").click()
    ui.expect_whole_page("opening the follow-up form")
    page.select_option("#kind", "home_visit")
    page.fill("#due_in", "2")
    expect(page.locator("#due-preview")).to_contain_text("2026")
    page.fill("#purpose", "Kunjungan rumah: pastikan klien makan teratur.")
    page.get_by_role("button", name="Jadwalkan").click()
    expect(page.locator(".flash-success")).to_contain_text("Tindak lanjut dijadwalkan")
    expect(page.locator("#tindak-lanjut")).to_contain_text("Kunjungan rumah")
    ui.screenshot("followup-scheduled")

    # It is on /tasks; its outcome is recorded from there.
    page.locator("nav.mainnav").get_by_role("link", name="Tugas").click()
    ui.expect_whole_page("opening /tasks")
    task = page.locator("li.task").filter(has_text=case["number"])
    expect(task).to_contain_text("pastikan klien makan teratur")
    ui.screenshot("tasks-worker")
    task.get_by_role("link", name="Catat hasil").click()
    page.get_by_label("Terlaksana").check()
    page.fill("#findings", "Klien sehat dan tinggal bersama kakaknya.")
    page.fill("#next_step", "Tidak perlu kunjungan lagi.")
    page.get_by_role("button", name="Simpan hasil").click()
    expect(page.locator(".flash-success")).to_contain_text("Hasil tindak lanjut dicatat")
    expect(page).to_have_url(ui.url("/tasks"))
    expect(page.locator("li.task")).to_have_count(0)

    # Ask to close the case.
    page.goto(ui.url(f"/cases/{case['id']}"))
    expect(page.locator("#timeline-card")).to_contain_text("Tindak lanjut terlaksana")
    page.get_by_role("link", name="Tutup kasus").click()
    page.select_option("#reason", "returned_family")
    page.fill("#summary", "Klien dijemput kakaknya dan kembali tinggal di Gowa.")
    page.get_by_role("button", name="Ajukan penutupan").click()
    expect(page.locator(".flash-success")).to_contain_text("menunggu persetujuan manajer")
    ui.screenshot("closure-requested")

    # The manager approves it on /approvals, in place.
    page.get_by_role("button", name="Keluar").click()
    ui.login("manajer")
    page.goto(ui.url("/approvals"))
    expect(page.locator("#approvals-count")).to_have_text("1")
    item = page.locator("li.approval-closure").filter(has_text=case["number"])
    ui.mark_document()
    item.locator("summary").click()
    expect(item).to_contain_text("Dikembalikan ke keluarga")
    item.get_by_role("button", name="Setujui penutupan").click()
    expect(item.locator(".alert-ok")).to_contain_text("Disetujui")
    assert ui.same_document(), "approving reloaded the page"
    expect(page.locator("#approvals-count")).to_have_text("")
    ui.screenshot("closure-approved")

    # The closed case is read-only; the manager reopens it with a reason.
    page.goto(ui.url(f"/cases/{case['id']}"))
    expect(page.locator(".closure-banner")).to_contain_text("Kasus ditutup")
    expect(page.get_by_role("link", name="Ubah kasus")).to_have_count(0)
    page.locator(".closure-banner").get_by_role("link", name="Buka kembali").click()
    expect(page.locator("#laporan-kasus")).to_be_visible()
    ui.screenshot("case-closed")
    page.get_by_role("button", name="Buka kembali").click()  # no reason yet
    expect(page.locator("#reopen_reason-errors")).to_contain_text("wajib diisi")
    page.fill("#reopen_reason", "Klien kembali terlihat di Pasar Terong.")
    page.get_by_role("button", name="Buka kembali").click()
    expect(page.locator(".flash-success")).to_contain_text("Kasus dibuka kembali")
    expect(page.locator(".page-head .status")).to_contain_text("Ditangani")
    timeline = page.locator("#timeline-card .timeline")
    expect(timeline.locator(".event-case_reopened")).to_contain_text("Pasar Terong")
    expect(page.get_by_role("link", name="Ubah kasus")).to_be_visible()
    ui.screenshot("case-reopened")
    assert ui.problems() == []
