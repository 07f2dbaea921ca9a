"""Health data (a referral's observations and diagnosis) follows one rule wherever it appears:
only the case's assigned social worker and the office's managers see it (services.access.
may_see_sensitive). Generated from app.url_map: every GET route x every role x the case's
records, plain and as htmx, with pages, fragments, PDFs (their text) and exports (CSV, XLSX,
PDF) read for two marker strings. Form posts are checked separately below: walking them with
empty data would change the records the walk reads."""

import io
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Letter, Referral
from tests.test_routes_access import login, rules, url_values

OBS, DIAG = "Zqxobsmarker", "Zqxdiagmarker"
MARKERS = (OBS, DIAG)
SKIPPED = SimpleNamespace(id=0)  # follow-ups and case types: their routes are left out below
REPORT_FORMATS = ("csv", "xlsx", "pdf")


@pytest.fixture
def people(world, factory):
    """A case registered by `pekerja`, assigned since to a colleague; its RSJ referrals in
    every state, holding the markers."""
    office = world["office"]
    registrar = world["worker"]
    assigned = factory.user(office, "worker", "pekerja_tugas")
    case = factory.case(office, registrar, full_name="Rahman Daeng")
    case.assigned_to_id = assigned.id
    db.session.commit()
    markers = {"observations": OBS, "diagnosis": DIAG}
    referrals = {
        state: factory.referral(case, state, by=assigned, **markers)
        for state in ("draft", "submitted", "approved", "completed")
    }
    users = {
        "anonymous": None,
        "registering worker": registrar,
        "assigned worker": assigned,
        "other worker": world["worker2"],
        "manager": world["manager"],
        "admin": world["admin"],
        "another office's worker": world["other_worker"],
    }
    document = _medical_document(case, assigned)
    return {"case": case, "referrals": referrals, "users": users, "document": document}


def _medical_document(case, worker):
    """An examination result on the case (health data: its note and its text hold a marker)."""
    from portal.seed.documents import tiny_pdf
    from portal.services import attachments

    values = {"doc_type": "pemeriksaan", "note": f"Hasil {OBS}"}
    data = io.BytesIO(tiny_pdf(["HASIL PEMERIKSAAN", DIAG]))
    item = attachments.add(case, worker, values, data, "lab.pdf")
    db.session.commit()
    return item


def may_see(role: str) -> bool:
    return role in ("assigned worker", "manager")


def records_for(people) -> dict:
    """What test_routes_access.url_values needs, pointing at this case."""
    referrals = people["referrals"]
    case = people["case"]
    return {
        "case": case,
        "draft": referrals["draft"],
        "submitted": referrals["submitted"],
        "approved": referrals["approved"],
        "completed": referrals["completed"],
        "letter": referrals["approved"].letter,
        "followup": SKIPPED,
        "closing": case,
        "closed": case,
        "unknown": case,
        "organisation": referrals["approved"].organisation,
        "case_type": SKIPPED,
        "user": people["users"]["other worker"],
        "merge": SKIPPED,  # undoing a merge is a POST: the walk reads GET routes
        "registry_import": SKIPPED,  # a SIKS-NG preview (item_id: left out below)
        "anonymisation": SimpleNamespace(id=0, case_id=0),  # (its pages show no health data)
        "document": people["document"],
        "guardian": SKIPPED,  # a guardian's form shows no health data
        "batch": batch_of(people),
    }


def batch_of(people):
    """The manager's batch print of the case's RSJ letter, done (its PDF prints the
    observations): made once, walked by every role."""
    from portal.services import letter_batch, uow

    if "batch" not in people:
        letter = people["referrals"]["approved"].letter
        people["batch"] = letter_batch.start(people["users"]["manager"], [letter.id])
        uow.commit()
    return people["batch"]


def urls(app, people):
    """Every GET URL of url_map, once per referral and letter of the case where it takes one."""
    records = records_for(people)
    letters = db.session.scalars(
        select(Letter).where(Letter.case_id == people["case"].id).order_by(Letter.id)
    ).all()
    adapter = app.url_map.bind("localhost")
    for rule in rules(app, lambda rule: "GET" in rule.methods):
        if {"followup_id", "item_id"} & set(rule.arguments):
            continue  # no health data on follow-ups or the admin's lists
        values = url_values(rule, records)
        variants = [values]
        if "referral_id" in rule.arguments:
            variants = [values | {"referral_id": r.id} for r in people["referrals"].values()]
        if "letter_id" in rule.arguments:
            variants = [values | {"letter_id": letter.id} for letter in letters]
        if "fmt" in rule.arguments:
            variants = [values | {"fmt": fmt} for fmt in REPORT_FORMATS]
        for variant in variants:
            yield rule.endpoint, adapter.build(rule.endpoint, variant)
    yield "referrals.new", f"/cases/{people['case'].id}/referrals/new?kind=rsj"
    yield "cases.index", "/cases?q=Rahman"


def text_of(response) -> str:
    """What a person reading the answer sees: a page or fragment, a PDF's text, a sheet's cells."""
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    if "spreadsheetml" in response.mimetype:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.data), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return response.get_data(as_text=True)


def test_health_data_appears_only_where_the_rule_allows(app, client, people):
    leaks, seen = [], {role: 0 for role in people["users"]}
    for role, user in people["users"].items():
        if user is None:
            client.post("/logout")
        else:
            login(client, user)
        for _endpoint, url in urls(app, people):
            for htmx in (False, True):
                response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
                if htmx and response.mimetype != "text/html":
                    continue  # a file is the same file when htmx asks
                assert response.status_code < 500, f"{role}: {url} -> {response.status_code}"
                text = text_of(response)
                found = [marker for marker in MARKERS if marker in text]
                if found and not may_see(role):
                    leaks.append(f"{role}: {'htmx ' if htmx else ''}GET {url} shows {found}")
                seen[role] += bool(found)
    assert not leaks, "health data shown to those who may not see it:\n" + "\n".join(leaks)
    # Those who may see it do (the walk reaches the pages, the letter and the case report).
    assert seen["assigned worker"] >= 8 and seen["manager"] >= 8, seen


def test_the_rsj_letter_pdf_is_refused_with_a_reason_to_those_who_may_not_see_it(client, people):
    letter = people["referrals"]["approved"].letter
    assert letter.kind == "rujukan_rsj"
    login(client, people["users"]["registering worker"])
    response = client.get(f"/letters/{letter.id}.pdf")
    assert response.status_code == 403
    assert "memuat data kesehatan" in response.get_data(as_text=True)
    register = client.get("/letters").get_data(as_text=True)
    assert letter.number in register and f"/letters/{letter.id}.pdf" not in register
    login(client, people["users"]["assigned worker"])
    response = client.get(f"/letters/{letter.id}.pdf")
    assert response.status_code == 200 and OBS in text_of(response)


def test_the_registering_worker_cannot_change_health_data_through_the_form(client, people):
    draft = people["referrals"]["draft"]
    login(client, people["users"]["registering worker"])
    page = client.get(f"/referrals/{draft.id}/edit").get_data(as_text=True)
    assert 'name="observations"' not in page and "Anda tidak dapat melihat atau mengubahnya" in page
    data = {
        "version": str(draft.version_id),
        "organisation_id": str(draft.organisation_id),
        "observations": "Ditimpa",
        "diagnosis": "Ditimpa",
        "escort": "Tim baru",
        "save_draft": "1",
    }
    response = client.post(f"/referrals/{draft.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    draft = db.session.get(Referral, draft.id)
    assert (draft.observations, draft.diagnosis, draft.escort) == (OBS, DIAG, "Tim baru")
    # The assigned worker's form shows and saves them.
    login(client, people["users"]["assigned worker"])
    page = client.get(f"/referrals/{draft.id}/edit").get_data(as_text=True)
    assert OBS in page and DIAG in page
