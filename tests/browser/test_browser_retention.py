"""Retention in a real browser (QA): a refused anonymisation request leaves the browser on the
page's GET address (the error beside the field), so reloading sends
nothing again and asks no POST-only address for a page."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import AnonymisationRequest, Case

pytestmark = pytest.mark.browser


def test_a_refused_request_can_be_reloaded_without_sending_it_again(ui, live_server):
    case = live_server.add_case(full_name="Daeng Ngai")
    with live_server.seed():
        row = db.session.get(Case, case["id"])
        row.status, row.closed_at = "closed", datetime(2019, 1, 10, 3, 0)
    page = ui.page
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    ui.login("manajer")
    page.goto(live_server.url + "/retention")
    reason = page.locator(f"#reason-{case['id']}")
    reason.fill("   ")  # blank: refused
    page.get_by_role("button", name="Minta anonimisasi").click()
    expect(page.locator(f"#reason-{case['id']}-error")).to_contain_text("Tulis alasan")
    assert page.url.endswith("/retention?page=1")
    ui.screenshot("retention-refused")
    posts.clear()
    page.reload()
    expect(page.locator("h1")).to_have_text("Retensi data")
    assert posts == [] and page.url.endswith("/retention?page=1")
    with live_server.seed():
        assert db.session.query(AnonymisationRequest).count() == 0
    assert ui.problems() == []
