"""axe-core (bundled by axe-playwright-python, no network) on the pages each role uses, and
after htmx swaps: no critical, serious or moderate violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

IMPACTS = ("critical", "serious", "moderate")
axe = Axe()


def violations(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in IMPACTS
    ]


def check(ui, path: str | None = None, state: str = "") -> list[str]:
    if path:
        ui.page.goto(ui.url(path))
    return [f"{path or ui.page.url} {state}: {v}" for v in violations(ui.page)]


def test_every_page_a_worker_uses(ui, live_server):
    case = live_server.add_case(full_name="Baso Pasar Terong")
    ui.login("pekerja")
    found = []
    for path in (
        "/",
        "/cases",
        "/cases?q=baso",
        f"/cases/{case['id']}",
        f"/cases/{case['id']}/edit",
        "/cases/new",
        f"/cases/{case['id']}/referrals/new",
        f"/cases/{case['id']}/referrals/new?kind=rsj",
        f"/cases/{case['id']}/referrals/new?kind=return_home",
        f"/cases/{case['id']}/follow-ups/new",
        f"/cases/{case['id']}/aid/new",
        "/tasks",
        "/letters",
        "/reports",
        "/account",
    ):
        found += check(ui, path)
    # after htmx swaps: the duplicate panel and the NIK check while registering
    ui.page.goto(ui.url("/cases/new"))
    ui.page.fill("#full_name", "Baso Pasar Terong")
    ui.page.fill("#nik", "7371010203850004")
    ui.page.locator("#nik-feedback").filter(has_text="NIK").wait_for()
    found += check(ui, state="after the duplicate panel and NIK check")
    assert not found, "\n".join(found)


def test_every_page_a_manager_uses(ui, live_server):
    case = live_server.add_case(full_name="Baso Pasar Terong")
    with live_server.seed() as factory:
        from portal.extensions import db
        from portal.models import Case

        factory.referral(db.session.get(Case, case["id"]), "submitted")
    ui.login("manajer")
    found = []
    for path in ("/", "/approvals", "/cases", "/tasks", "/letters", "/reports?period=year"):
        found += check(ui, path)
    ui.page.goto(ui.url("/approvals"))
    item = ui.page.locator("li.approval").first
    item.locator("summary").click()
    found += check(ui, state="with an item's details open")
    item.get_by_role("button", name="Setujui").click()
    ui.page.locator("li.approval .alert-ok").wait_for(timeout=30_000)
    found += check(ui, state="after approving in place")
    assert not found, "\n".join(found)


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server):
    """375 px wide: tables scroll inside their region or stack, the header stays short."""
    case = live_server.add_case(full_name="Andi Rahmat Hidayat Daeng Ngalle Sulawesi")
    with live_server.seed() as factory:
        from portal.extensions import db
        from portal.models import Case

        factory.referral(db.session.get(Case, case["id"]), "submitted")
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/login")
    page.fill("#username", "manajer")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    wide = []
    for path in ("/", "/cases", f"/cases/{case['id']}", "/approvals", "/letters", "/tasks",
                 "/reports", "/reports?period=year", "/cases/new"):  # fmt: skip
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
        if width > 375 or header > 120:
            wide.append(f"{path}: {width} px wide, header {header:.0f} px")
    context.close()
    assert not wide, "\n".join(wide)


def test_every_page_an_administrator_uses(ui, live_server):
    with live_server.seed() as factory:
        from portal.extensions import db
        from portal.models import Office

        factory.user(db.session.get(Office, live_server.data["office_id"]), "admin", "admin")
    ui.login("admin")
    found = []
    for path in (
        "/admin/",
        "/admin/office",
        "/admin/audit",
        "/admin/users/new",
        "/admin/organisations/new",
        "/admin/case-types/new",
        "/account",
    ):
        found += check(ui, path)
    assert not found, "\n".join(found)
