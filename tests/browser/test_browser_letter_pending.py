"""With letters rendered in the background (production), the manager's approval row answers at
once with "Surat sedang disiapkan", and the download link replaces it by itself (htmx polls)
once the PDF is archived."""

import threading

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Case, Office, User
from portal.services import letter_archive
from portal.services import letters as letter_service

pytestmark = pytest.mark.browser


def test_the_approval_row_waits_for_no_render(ui, live_server, monkeypatch):
    live_server.app.config["LETTER_RENDER"] = "background"
    release = threading.Event()
    real = letter_service.render_letter

    def held(letter):
        assert release.wait(60), "the test never released the render"
        return real(letter)

    monkeypatch.setattr(letter_service, "render_letter", held)
    case = live_server.add_case(full_name="Baso Menunggu Surat")
    with live_server.seed() as factory:
        worker = db.session.get(User, live_server.data["worker_id"])
        office = db.session.get(Office, live_server.data["office_id"])
        factory.manager(office, besides=worker)  # a manager to decide it, besides "manajer"
        factory.referral(db.session.get(Case, case["id"]), "submitted", "service", by=worker)
    page = ui.page
    ui.login("manajer")
    page.goto(ui.url("/approvals"))
    item = page.locator("li.approval").first
    item.locator("summary").click()
    item.get_by_role("button", name="Setujui").click()
    pending = item.locator(".letter-pending")
    expect(pending).to_contain_text("Surat sedang disiapkan", timeout=10_000)
    expect(pending.get_by_role("link", name="Muat ulang")).to_be_visible()
    ui.screenshot("approval-letter-pending")
    release.set()
    link = item.get_by_role("link", name="PDF", exact=True)
    expect(link).to_be_visible(timeout=20_000)  # polled every 2 s
    letter_archive.wait_idle(live_server.app)
    ui.screenshot("approval-letter-ready")
    answer = page.request.get(ui.url(link.get_attribute("href")))
    assert answer.status == 200 and answer.body()[:5] == b"%PDF-"
    assert ui.problems() == []
