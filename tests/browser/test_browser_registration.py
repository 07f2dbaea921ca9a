"""Registering a case in a real browser: the duplicate panel appears while typing (htmx), then the
form is submitted with its CSRF token and the case file opens with the new number."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_register_case_warns_about_a_probable_duplicate(ui, live_server):
    existing = live_server.add_case(
        full_name="Mochammad Djoko Soesilo", birth_date=date(1979, 6, 14), estimated_age=None
    )
    year = datetime.now(UTC).year
    page = ui.page

    ui.login("pekerja")
    ui.expect_whole_page("logging in (a boosted form post and redirect)")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Daftarkan kasus"
    ).click()
    expect(page.get_by_role("heading", name="Daftarkan kasus baru")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/cases/new$"))
    ui.mark_document()

    # A spelling variant of the name and a birth date one year off.
    page.locator("#full_name").press_sequentially("Muhammad Joko Susilo")
    page.locator("#birth_date").fill("1980-01-05")
    panel = page.locator("#duplicates")
    expect(panel).to_contain_text("Mungkin sudah terdaftar")
    expect(panel).to_contain_text("Mochammad Djoko Soesilo")
    expect(panel).to_contain_text("Nama mirip")
    expect(panel.get_by_role("link", name=existing["number"])).to_be_visible()
    assert ui.same_document(), "the duplicate check reloaded the page instead of using htmx"
    expect(page).to_have_url(re.compile(r"/cases/new$"))
    ui.screenshot("register-duplicate-panel")

    # The rest of the required fields; then submit as a new person anyway.
    page.locator("#sex-0").check()  # Laki-laki
    category = page.locator("#category")
    expect(
        category.locator("option[value='P:11']"),
        "the category list offers PPKS 11 (Gelandangan) as value P:11",
    ).to_have_count(1)
    category.select_option("P:11")
    page.locator("#channel").select_option("residents")
    reported = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT08:30")
    page.locator("#reported_at").fill(reported)
    page.locator("#summary").fill("Tidur di emperan Pasar Terong, dilaporkan oleh pedagang.")
    page.get_by_role("button", name="Simpan dan beri nomor kasus").click()

    new_number = f"KS-{year}-000002"
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(new_number)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Muhammad Joko Susilo")
    expect(page.locator(".flashes")).to_contain_text(f"Kasus {new_number} sudah didaftarkan.")
