"""The batch print as a manager sees it, with letters joined by the background worker (as in
production): after "Cetak surat yang dicentang" a page with a progress bar and "Menyiapkan 1 dari
2 surat…" (held there by the test), which turns by itself into the "Buka PDF" link: htmx polls it
with JavaScript, the page refreshes itself without."""

import threading

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Case, Office, User
from portal.services import letter_archive, letter_batch
from tests.browser.test_browser_no_javascript import login

pytestmark = pytest.mark.browser


@pytest.fixture
def two_letters(live_server, monkeypatch):
    """Two archived letters of the office; the batch's worker holds before the second one
    until the test sets the returned event."""
    live_server.app.config["LETTER_RENDER"] = "background"
    numbers = []
    for name in ("Baso Cetak Satu", "Sitti Cetak Dua"):
        case = live_server.add_case(full_name=name)
        with live_server.seed() as factory:
            worker = db.session.get(User, live_server.data["worker_id"])
            factory.manager(db.session.get(Office, live_server.data["office_id"]), besides=worker)
            referral = factory.referral(db.session.get(Case, case["id"]), "approved", "service")
            numbers.append(referral.letter.number)
    release, calls = threading.Event(), []
    real = letter_batch._letter_pdf

    def held(user, letter_id):
        calls.append(letter_id)
        if len(calls) == 2:
            assert release.wait(60), "the test never released the batch"
        return real(user, letter_id)

    monkeypatch.setattr(letter_batch, "_letter_pdf", held)
    yield numbers, release
    release.set()
    letter_archive.wait_idle(live_server.app)


def tick_and_print(page, base):
    page.goto(f"{base}/letters")
    for box in page.locator("input[name=ids]").all():
        box.check()
    page.get_by_role("button", name="Cetak surat yang dicentang").click()
    page.wait_for_url(lambda url: "/letters/print/" in url)


def test_the_progress_bar_then_the_link(ui, live_server, two_letters):
    numbers, release = two_letters
    page = ui.page
    ui.login("manajer")
    tick_and_print(page, live_server.url)
    region = page.locator("#batch-progress")
    expect(region).to_contain_text("Menyiapkan 1 dari 2 surat…", timeout=10_000)
    expect(region.locator("progress")).to_have_attribute("value", "1")
    expect(region.locator("progress")).to_have_attribute("max", "2")
    ui.mark_document()
    ui.screenshot("letter-batch-progress")
    release.set()
    link = region.get_by_role("link", name="Buka PDF")
    expect(link).to_be_visible(timeout=15_000)  # htmx asks every second
    expect(region).to_contain_text("2 surat siap dalam satu PDF.")
    assert ui.same_document(), "htmx swapped the region; the page was not reloaded"
    ui.screenshot("letter-batch-done")
    answer = page.request.get(ui.url(link.get_attribute("href")))
    assert answer.status == 200 and answer.body()[:5] == b"%PDF-"
    assert ui.problems() == []


def test_without_javascript_the_page_refreshes_itself(browser, live_server, two_letters):
    numbers, release = two_letters
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, live_server.url, "manajer")
        tick_and_print(page, live_server.url)
        expect(page.locator("#batch-progress")).to_contain_text("Menyiapkan 1 dari 2 surat…")
        expect(page.get_by_role("link", name="Muat ulang")).to_be_visible()
        release.set()
        # <noscript><meta http-equiv="refresh" content="2">: no click needed
        expect(page.get_by_role("link", name="Buka PDF")).to_be_visible(timeout=15_000)
        href = page.get_by_role("link", name="Buka PDF").get_attribute("href")
        answer = page.request.get(live_server.url + href)
        assert answer.status == 200 and answer.body()[:5] == b"%PDF-"
    finally:
        context.close()
