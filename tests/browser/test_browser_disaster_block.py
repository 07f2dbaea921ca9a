"""The case form's disaster block follows the category in a real browser: hidden until a disaster
category (PPKS 21/22) is chosen, hidden again for another one."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_disaster_block_shows_only_for_a_disaster_category(ui, live_server):
    page = ui.page
    ui.login("pekerja")
    page.goto(live_server.url + "/cases/new")
    block = page.locator("fieldset.disaster")
    expect(block).to_be_hidden()
    page.locator("#category").select_option("P:21")
    expect(block).to_be_visible()
    expect(page.locator("#household_kk")).to_be_visible()
    ui.screenshot("register-disaster-block")
    page.locator("#category").select_option("P:11")
    expect(block).to_be_hidden()
