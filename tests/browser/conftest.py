"""Browser tests: the real app served over HTTP on 127.0.0.1, driven by Debian's Chromium through
Playwright's sync API.

Every test gets a fresh database (the `database_uri` fixture of tests/conftest.py: SQLite, or
PostgreSQL when TEST_DATABASE_URL is set) and its own server on a free port, with CSRF
protection on as in production. The browser reaches only 127.0.0.1: the resolver maps every other
host to nothing and each context aborts any request to another host. Such requests, JavaScript
errors and 5xx answers fail the test.

Screenshots go to $SIMPUL_SHOTS (default /tmp/simpul-shots); their paths are printed at the end of
the run.
"""

from __future__ import annotations

import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal.extensions import db
from tests.conftest import PASSWORD, Factory, make_app

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SHOTS_DIR = Path(os.environ.get("SIMPUL_SHOTS") or Path(tempfile.gettempdir(), "simpul-shots"))
_shots: list[Path] = []


def pytest_terminal_summary(terminalreporter):
    if _shots:
        terminalreporter.section("browser screenshots")
        for path in _shots:
            terminalreporter.write_line(str(path))


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        reason = (
            f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium "
            "(.ci/run installs it)"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason + "; on CI a missing browser is a failure, not a skip")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class LiveServer:
    """The app served on 127.0.0.1:<free port>, plus what the test seeded."""

    url: str
    app: object
    data: dict = field(default_factory=dict)

    @contextmanager
    def seed(self):
        """A Factory inside an app context, to add data while the server runs."""
        with self.app.app_context():
            try:
                yield Factory(self.app)
                db.session.commit()
            finally:
                db.session.remove()

    def add_case(self, **values) -> dict:
        """A case in the seeded office, registered by the seeded worker (Factory.case values)."""
        from portal.models import Office, User

        with self.seed() as factory:
            office = db.session.get(Office, self.data["office_id"])
            worker = db.session.get(User, self.data["worker_id"])
            case = factory.case(office, worker, **values)
            return {"id": case.id, "number": case.number}


@pytest.fixture
def live_server(database_uri):
    app = make_app(database_uri, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    thread.start()
    try:
        with live.seed() as factory:
            office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
            live.data["office_id"] = office.id
            live.data["worker_id"] = factory.user(
                office, "worker", "pekerja", full_name="Rina Pekerja"
            ).id
            live.data["manager_id"] = factory.user(
                office, "manager", "manajer", full_name="Hasan Manajer"
            ).id
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


class UI:
    """A Playwright page plus the problems seen while the test drove it."""

    def __init__(self, page, live: LiveServer):
        self.page = page
        self.live = live
        self.blocked: list[str] = []
        self.js_errors: list[str] = []
        self.server_errors: list[str] = []
        page.on("pageerror", lambda exc: self.js_errors.append(str(exc)))
        page.on(
            "response",
            lambda r: (
                self.server_errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 500
                else None
            ),
        )

    def url(self, path: str) -> str:
        return self.live.url + path

    def login(self, username: str, password: str = PASSWORD) -> None:
        page = self.page
        page.goto(self.url("/login"))
        page.locator("#username").fill(username)
        page.locator("#password").fill(password)
        page.get_by_role("button", name="Masuk", exact=True).click()
        page.wait_for_url(lambda url: urlsplit(url).path != "/login")

    def expect_whole_page(self, after: str) -> None:
        """The document is a whole page (header, navigation, main), not a fragment of one."""
        expect(
            self.page.locator("body > header.topbar nav.mainnav"),
            f"after {after} the browser must show the whole page with its header and "
            "navigation, not a fragment of the page",
        ).to_have_count(1)

    def mark_document(self) -> None:
        """Tag the current document; `same_document()` tells whether it is still loaded."""
        self.page.evaluate("window.__simpulMark = 'kept'")

    def same_document(self) -> bool:
        return self.page.evaluate("window.__simpulMark === 'kept'")

    def screenshot(self, name: str) -> Path:
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        path = SHOTS_DIR / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        _shots.append(path)
        print(f"screenshot: {path}")
        return path

    def problems(self) -> list[str]:
        return (
            [f"request to a non-local host: {u}" for u in self.blocked]
            + [f"JavaScript error: {e}" for e in self.js_errors]
            + [f"server error: {e}" for e in self.server_errors]
        )


@pytest.fixture
def ui(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="id-ID", timezone_id="Asia/Makassar"
    )
    context.set_default_timeout(15_000)
    blocked: list[str] = []

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    ui = UI(context.new_page(), live_server)
    ui.blocked = blocked
    try:
        yield ui
    finally:
        context.close()
    problems = ui.problems()
    assert not problems, "the browser saw problems:\n" + "\n".join(problems)


def record_basis(
    page,
    case_url: str,
    note: str = "Ditemukan sendirian; tidak ada yang dapat memberi persetujuan.",
) -> None:
    """Walk the case's "Dasar pemrosesan data" form (services.consent): vital interest with a
    note, so that its referrals may be submitted. Works with and without JavaScript."""
    page.goto(f"{case_url}/basis")
    page.get_by_label("Pelindungan kepentingan vital (huruf d)").check()
    page.locator("#note").fill(note)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Dasar pemrosesan data disimpan.")).to_be_visible()
