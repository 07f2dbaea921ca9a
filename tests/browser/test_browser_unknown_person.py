"""Issue 13 walked as its users would: a man found without identity is registered, referred to
the RSJ and his case closed; months later his family comes; the worker finds him by what he
wore, identifies him on the closed case, and the manager merges him into the record the family
already had at this office (and could undo it)."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Case, Organisation
from tests.browser.conftest import record_basis

OFFICE_TIME = ZoneInfo("Asia/Makassar")  # the seeded office (WITA): its dates, not UTC's

pytestmark = pytest.mark.browser

DESCRIPTION = "Laki-laki, rambut gondrong, memakai kaos biru; bekas luka di pelipis kiri"
FAMILY_NIK = "7371010203850004"  # Makassar, born 2 March 1985, male
FAMILY_KK = "7371012005100003"


def seed_family_record(live_server) -> dict:
    """The family's earlier record: Baharuddin, helped (and his case closed) by this office
    before; and the RSJ the office refers to."""
    family = live_server.add_case(
        full_name="Baharuddin Dg. Nai",
        nik=FAMILY_NIK,
        kk_number=FAMILY_KK,
        birth_date=date(1985, 3, 2),
        estimated_age=None,
        reported_at=datetime(2025, 6, 10, 9, 0),
        summary="Kehabisan bekal di Terminal Daya; dipulangkan ke keluarganya.",
    )
    with live_server.seed() as factory:
        factory.closure(db.session.get(Case, family["id"]), "closed")
        family["person_id"] = db.session.get(Case, family["id"]).person_id
        db.session.add(
            Organisation(
                office_id=live_server.data["office_id"], name="RSJ Dadi Makassar", kind="rsj"
            )
        )
    return family


def switch_user(ui, username: str) -> None:
    ui.page.get_by_role("button", name="Keluar").click()
    ui.login(username)


def register_unknown_man(ui) -> tuple[int, str]:
    page = ui.page
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Daftarkan kasus"
    ).click()
    expect(page.get_by_role("heading", name="Daftarkan kasus baru")).to_be_visible()
    page.get_by_label("Identitas tidak diketahui").check()
    page.locator("#physical_description").fill(DESCRIPTION)
    page.locator("#found_place").fill("Pantai Losari")
    page.locator("#sex-0").check()  # Laki-laki
    page.locator("#estimated_age").fill("40")
    page.locator("#category").select_option(label="ODGJ terlantar (PPKS 09)")
    page.locator("#channel").select_option("residents")
    reported = (datetime.now(OFFICE_TIME) - timedelta(days=1)).strftime("%Y-%m-%dT07:15")
    page.locator("#reported_at").fill(reported)
    page.locator("#summary").fill(
        "Berjalan tanpa alas kaki di Pantai Losari, bicara sendiri, tidak dapat menyebut nama."
    )
    ui.screenshot("unknown-register-form")
    page.get_by_role("button", name="Simpan dan beri nomor kasus").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"Tanpa identitas \(KS-\d{4}-\d{6}\)"))
    number = re.search(r"KS-\d{4}-\d{6}", heading.inner_text()).group(0)
    expect(page.locator(".flashes")).to_contain_text(f"Kasus {number} sudah didaftarkan.")
    case_id = int(re.search(r"/cases/(\d+)$", page.url).group(1))
    ui.screenshot("unknown-registered")
    return case_id, number


def refer_to_rsj_and_approve(ui, case_id: int, number: str) -> None:
    page = ui.page
    record_basis(page, ui.url(f"/cases/{case_id}"))  # unknown: vital interest, no consent
    page.goto(ui.url(f"/cases/{case_id}"))
    page.get_by_role("link", name="+ Buat rujukan").click()
    page.get_by_role("link", name="Rujukan ke Rumah Sakit Jiwa (RSJ)").click()
    page.select_option("#organisation_id", label="RSJ Dadi Makassar")
    page.get_by_label("Tidak", exact=True).check()
    page.fill("#observations", "Bicara sendiri, tidak mengenali tempat dan waktu.")
    page.fill("#diagnosis", "Suspek psikotik")
    page.select_option("#insurance", "none")
    page.select_option("#family_status", "not")
    page.fill("#family_reason", "Identitas dan keluarganya belum diketahui.")
    page.fill("#escort", "Rina, Baso")
    page.fill("#transport", "Ambulans Dinsos")
    page.fill("#planned_date", datetime.now(OFFICE_TIME).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Simpan dan ajukan ke manajer").click()
    expect(page.locator(".flash-success")).to_contain_text("menunggu keputusan manajer")

    switch_user(ui, "manajer")
    page.goto(ui.url("/approvals"))
    item = page.locator("li.approval").filter(has_text=number)
    item.locator("summary").click()
    item.get_by_role("button", name="Setujui").click()
    expect(item.locator(".alert-ok")).to_contain_text("Nomor surat", timeout=30_000)
    page.goto(ui.url(f"/cases/{case_id}"))
    expect(page.locator("#timeline-card .event-referral_approved")).to_be_visible()


def close_with_approval(ui, case_id: int, number: str) -> None:
    page = ui.page
    switch_user(ui, "pekerja")
    # The RSJ receives him: the handover is recorded before the case may close.
    page.goto(ui.url(f"/cases/{case_id}"))
    page.locator("#timeline-card .event-referral_approved a").first.click()
    page.get_by_role("link", name="Catat serah terima").click()
    page.locator("#handover_place").fill("RSJ Dadi Makassar")
    page.locator("#receiver_name").fill("Ns. Andi Tenri")
    page.locator("#receiver_position").fill("Perawat jaga IGD")
    page.get_by_role("button", name="Simpan serah terima").click()
    expect(page.get_by_text("Serah terima dicatat")).to_be_visible()

    page.goto(ui.url(f"/cases/{case_id}"))
    page.get_by_role("link", name="Tutup kasus").click()
    page.select_option("#reason", "referred_agency")
    page.fill("#summary", "Dirawat di RSJ Dadi Makassar; keluarga belum ditemukan.")
    page.get_by_role("button", name="Ajukan penutupan").click()
    expect(page.locator(".flash-success")).to_contain_text("menunggu persetujuan manajer")

    switch_user(ui, "manajer")
    page.goto(ui.url("/approvals"))
    item = page.locator("li.approval-closure").filter(has_text=number)
    item.locator("summary").click()
    item.get_by_role("button", name="Setujui penutupan").click()
    expect(item.locator(".alert-ok")).to_contain_text("Disetujui")
    page.goto(ui.url(f"/cases/{case_id}"))
    expect(page.locator(".closure-banner")).to_contain_text("Kasus ditutup")
    ui.screenshot("unknown-case-closed")


def no_sideways_scroll(ui, path: str, region: str = "") -> None:
    """At 375 px the page does not scroll sideways; nor does `region` inside it."""
    page = ui.page
    page.set_viewport_size({"width": 375, "height": 740})
    try:
        page.goto(ui.url(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        ui.screenshot("unknown-phone" + re.sub(r"[^a-z0-9]+", "-", path.lower()).rstrip("-"))
        assert width <= 375, f"{path} scrolls sideways on a phone: {width} px wide"
        if region:
            inner = page.locator(region).evaluate("e => [e.scrollWidth, e.clientWidth]")
            assert inner[0] <= inner[1], f"{region} on {path} scrolls sideways: {inner}"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_unknown_man_found_identified_by_his_family_and_merged(ui, live_server):
    family = seed_family_record(live_server)
    page = ui.page

    # 1-4. Found at Pantai Losari without identity; referred to the RSJ; his case closed.
    ui.login("pekerja")
    case_id, number = register_unknown_man(ui)
    refer_to_rsj_and_approve(ui, case_id, number)
    close_with_approval(ui, case_id, number)

    # 5. His family comes to the office: the worker searches by what they describe.
    switch_user(ui, "pekerja")
    page.goto(ui.url("/cases"))
    page.locator("#q").fill("kaos biru, bekas luka di pelipis")
    page.locator("#q").press("Enter")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(number)
    expect(rows.first).to_contain_text(f"Tanpa identitas ({number})")
    expect(rows.first).to_contain_text("Ditutup")
    ui.screenshot("unknown-found-by-description")

    page.goto(ui.url("/unidentified"))
    card = page.locator("li.person-card").filter(has_text=number)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Pantai Losari")
    expect(card).to_contain_text("40 tahun")
    expect(card).to_contain_text("bekas luka di pelipis kiri")
    ui.screenshot("unknown-unidentified-cards")

    # 6. Identifikasi on the closed case: his sister names him.
    card.get_by_role("link", name=number).click()
    expect(page).to_have_url(ui.url(f"/cases/{case_id}"))
    page.get_by_role("link", name="Identifikasi", exact=True).click()
    expect(page).to_have_url(ui.url(f"/cases/{case_id}/identify"))
    no_sideways_scroll(ui, f"/cases/{case_id}/identify")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Identifikasi · Tanpa identitas ({number})"
    )
    expect(page.locator("main")).to_contain_text("tetap tertutup")
    expect(page.locator("#estimated_age")).to_have_value("40")  # what was known is kept
    page.locator("#full_name").press_sequentially("Baharuddin Daeng Nai")
    page.locator("#birth_date").fill("1985-03-02")
    panel = page.locator("#duplicates")
    expect(panel).to_contain_text("Mungkin sudah terdaftar")
    family_row = panel.locator("li.dup").filter(has_text="Baharuddin Dg. Nai")
    expect(family_row).to_contain_text("Nama mirip")
    expect(family_row).to_contain_text("Dg. = Daeng")
    # the worker may not merge: that is the manager's
    expect(panel.get_by_role("link", name="Gabungkan dengan orang ini")).to_have_count(0)
    page.locator("#method").select_option("family")
    page.locator("#note").fill("Dikenali oleh kakaknya, Hj. Sitti, yang datang ke kantor.")
    ui.screenshot("unknown-identify-duplicate-panel")

    # His sister's family card gives his NIK: it is the one the family's record holds.
    page.locator("#nik").fill(FAMILY_NIK)
    expect(family_row).to_contain_text("NIK sama")
    page.get_by_role("button", name="Simpan identifikasi").click()
    expect(page).to_have_url(ui.url(f"/cases/{case_id}/identify"))
    expect(page.locator("#nik-errors")).to_be_visible()
    holder = page.locator("#nik-feedback ~ p.warning")
    expect(holder).to_contain_text("Terdaftar atas nama Baharuddin Dg. Nai")
    expect(holder).to_contain_text("minta manajer menggabungkan kedua data")
    expect(holder.get_by_role("link", name="Daftarkan kasus baru untuk orang ini")).to_have_count(0)
    expect(page.locator("#full_name")).to_have_value("Baharuddin Daeng Nai")  # kept
    expect(page.locator("#note")).to_contain_text("Hj. Sitti")
    expect(page.locator("#duplicates li.dup")).to_contain_text("NIK sama")
    ui.screenshot("unknown-identify-nik-refused")
    # Identified by name; the manager's merge brings the NIK from the family's record.
    page.locator("#nik").fill("")
    page.get_by_role("button", name="Simpan identifikasi").click()

    expect(page).to_have_url(ui.url(f"/cases/{case_id}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baharuddin Daeng Nai")
    expect(page.locator(".closure-banner")).to_contain_text("Kasus ditutup")
    expect(page.locator(".page-head .status")).to_contain_text("Ditutup")
    identified = page.locator("#timeline-card .timeline .event-identified")
    expect(identified).to_contain_text("Diidentifikasi oleh Rina Pekerja melalui keluarga")
    expect(identified).to_contain_text(f"sebelumnya Tanpa identitas ({number})")
    ui.screenshot("unknown-identified-case-stays-closed")
    # No longer among the unidentified; what he wore still finds his case, under his name.
    page.goto(ui.url("/unidentified"))
    expect(page.locator("li.person-card")).to_have_count(0)
    expect(page.locator("#results .count")).to_contain_text("Tidak ada orang tanpa identitas")
    page.goto(ui.url("/cases?q=kaos+biru"))
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Baharuddin Daeng Nai")

    # 7. The manager merges the two records of Baharuddin. Identified, the man's page offers a
    # correction, not an Identifikasi: the manager finds both records, starts from the family's.
    switch_user(ui, "manajer")
    page.goto(ui.url(f"/cases/{case_id}"))
    expect(page.get_by_role("link", name="Identifikasi", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Koreksi identitas")).to_be_visible()
    page.goto(ui.url("/cases"))
    page.locator("#q").fill("Baharuddin")
    page.locator("#q").press("Enter")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    rows.filter(has_text=family["number"]).get_by_role("link", name=family["number"]).click()
    page.get_by_role("link", name="Halaman orang").click()
    expect(page).to_have_url(ui.url(f"/people/{family['person_id']}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Baharuddin Dg. Nai")
    page.get_by_role("link", name="Gabungkan dengan orang lain").click()
    page.locator("#q").fill("Baharuddin")
    page.get_by_role("button", name="Cari").click()
    found = page.locator("main ul.plain li")
    expect(found).to_have_count(1)  # not the kept record itself
    expect(found).to_contain_text(number)
    ui.screenshot("unknown-merge-picker")
    found.get_by_role("link", name="Baharuddin Daeng Nai").click()

    expect(page).to_have_url(re.compile(r"/people/merge\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gabungkan data orang")
    table = page.locator("table.merge")
    expect(table.locator("thead")).to_contain_text("Dipertahankan: Baharuddin Dg. Nai")
    expect(table.locator("thead")).to_contain_text("Digabungkan: Baharuddin Daeng Nai")
    nik_row = table.locator("tbody tr").filter(has_text="NIK")
    expect(nik_row.locator("td").nth(0)).to_contain_text(FAMILY_NIK)
    expect(nik_row.locator("td").nth(1)).to_contain_text("—")
    expect(nik_row.locator("td").nth(0).locator("input")).to_be_checked()  # the known NIK
    expect(page.locator("main")).to_contain_text(f"Kasus catatan kanan: {number}")
    merge_url = page.url
    merged_person_id = int(re.search(r"merge=(\d+)", merge_url).group(1))
    # both records side by side: the comparison fits without scrolling it sideways
    no_sideways_scroll(ui, merge_url.removeprefix(live_server.url), region=".table-wrap")
    # The family spells it "Daeng" in full: keep the identified man's spelling of the name.
    name_row = table.locator("tbody tr").first
    name_row.locator("td").nth(1).locator("input").check()
    description_row = table.locator("tbody tr").filter(has_text="pelipis")
    expect(description_row).to_have_count(1)
    expect(description_row.locator("td").nth(1).locator("input")).to_be_checked()
    ui.screenshot("unknown-merge-side-by-side")
    page.get_by_role("button", name="Gabungkan").click()

    expect(page).to_have_url(ui.url(f"/people/{family['person_id']}"))
    expect(page.locator(".flash-success")).to_contain_text("digabungkan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Baharuddin Daeng Nai")
    cases = page.locator("section.card").filter(
        has=page.get_by_role("heading", name="Kasus", exact=True)
    )
    expect(cases.locator("li")).to_have_count(2)
    expect(cases).to_contain_text(family["number"])
    expect(cases).to_contain_text(number)
    merges = page.locator("#penggabungan")
    expect(merges).to_contain_text("digabungkan dengan Baharuddin Daeng Nai")
    undo = merges.get_by_role("link", name="Batalkan penggabungan")
    expect(undo).to_be_visible()
    ui.screenshot("unknown-person-after-merge")

    # The unknown man's old page leads to the family's record; his case now names him.
    page.goto(ui.url(f"/people/{merged_person_id}"))
    expect(page).to_have_url(ui.url(f"/people/{family['person_id']}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Baharuddin Daeng Nai")
    page.goto(ui.url(f"/cases/{case_id}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baharuddin Daeng Nai")
    expect(page.locator(".closure-banner")).to_contain_text("Kasus ditutup")
    expect(page.locator("#timeline-card .event-person_merged")).to_be_visible()
    ui.screenshot("unknown-case-after-merge")
    # The family's earlier case tells the same story and leads to the other case.
    page.goto(ui.url(f"/cases/{family['id']}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baharuddin Daeng Nai")
    expect(page.locator("#timeline-card .event-person_merged")).to_be_visible()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    ui.screenshot("unknown-family-case-after-merge")

    # Undone (a wrong merge): the two records are apart again, each with its own case.
    page.goto(ui.url(f"/people/{family['person_id']}"))
    undo.click()  # a confirmation page says what goes back
    expect(page.get_by_role("heading", level=1)).to_have_text("Batalkan penggabungan?")
    expect(page.locator("main")).to_contain_text(number)
    page.get_by_role("button", name="Ya, batalkan penggabungan").click()
    expect(page.locator(".flash-success")).to_contain_text("Penggabungan dibatalkan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Baharuddin Dg. Nai")
    expect(cases.locator("li")).to_have_count(1)
    expect(cases).to_contain_text(family["number"])
    expect(page.locator("#penggabungan")).to_contain_text("dibatalkan")
    page.goto(ui.url(f"/people/{merged_person_id}"))
    expect(page).to_have_url(ui.url(f"/people/{merged_person_id}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Baharuddin Daeng Nai")
    expect(cases.locator("li")).to_have_count(1)
    expect(cases).to_contain_text(number)
    ui.screenshot("unknown-merge-undone")
    assert ui.problems() == []
