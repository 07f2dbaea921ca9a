"""Search as you type on /cases: the results swap in without a page load, the URL follows the
query, and Back brings the full list again (history restore asks for the whole page)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_search_as_you_type(ui, live_server):
    live_server.add_case(full_name="Andi Baso")
    live_server.add_case(full_name="Sitti Rahmah", sex="P", urgency="high")
    live_server.add_case(full_name="Budi Santoso")
    page = ui.page

    ui.login("pekerja")
    ui.expect_whole_page("logging in (a boosted form post and redirect)")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Kasus", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/cases$"))
    ui.expect_whole_page("following the Kasus link (a boosted link)")
    results = page.locator("#results")
    for name in ("Andi Baso", "Sitti Rahmah", "Budi Santoso"):
        expect(results).to_contain_text(name)
    expect(results.locator(".count")).to_have_text("3 kasus")
    ui.screenshot("case-list")
    ui.mark_document()

    page.locator("#q").press_sequentially("sitt")
    expect(page).to_have_url(re.compile(r"/cases\?(.*&)?q=sitt(&|$)"))
    expect(results).to_contain_text("Sitti Rahmah")
    expect(results).not_to_contain_text("Andi Baso")
    expect(results).not_to_contain_text("Budi Santoso")
    expect(results.locator(".count")).to_have_text("1 kasus")
    assert ui.same_document(), "searching reloaded the page instead of swapping #results"
    expect(page.locator("#q")).to_have_value("sitt")
    expect(page.locator("#q")).to_be_focused()
    ui.screenshot("case-list-search")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/cases$"))
    expect(page.locator("#results")).to_contain_text("Andi Baso")
    expect(page.locator("#results")).to_contain_text("Sitti Rahmah")
    # The restored page is the whole page once, not a page inside the page.
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.locator("#results")).to_have_count(1)
