"""Every rule in app.url_map, generated: an anonymous request is refused unless the endpoint is
listed as public below; a user of another office reaches no record of this office; the role
rules that are plain in the blueprints (admin pages, a manager's decisions, no case contents
for the administrator, a colleague's cases) hold for every route they cover.

A new route fails here until it refuses anonymous requests or is added to PUBLIC, and until
each of its URL arguments is known below (office-scoped or not)."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import LocalCaseType

# Endpoints anyone may reach without logging in, and why.
PUBLIC = {
    "static": "CSS, scripts, fonts and images of every page, the login page's too",
    "main.favicon": "the browser asks for it before anyone logs in",
    "auth.login": "where everyone else is sent",
    "auth.logout": "logging out needs no login (it only clears the session)",
    "auth.language": "the language switch on the login page",
    "letters.verify_form": "anyone holding a printed letter may check it (no personal data)",
    "letters.verify": "the QR code of a printed letter (no personal data)",
}

# URL arguments that name a record of one office, and those that do not.
CASE_SCOPED = {
    "case_id", "referral_id", "followup_id", "letter_id", "person_id", "closure_id", "merge_id",
    "request_id",
    "attachment_id",
    "guardian_id",
}  # fmt: skip
OFFICE_SCOPED = CASE_SCOPED | {"user_id", "item_id", "batch_id"}
NOT_SCOPED = {"fmt", "token", "filename"}

# Routes for the office's managers only (roles_required("manager")).
MANAGER_ONLY = {
    "approvals.index",
    "referrals.decide",
    "closure.decide",
    "cases.assign",
    "cases.audit_trail",
    "letters.void",
    "letters.print_batch",
    "letters.batch_progress",
    "letters.batch_pdf",
    "letters.batch_retry",
    "people.trail",
    "people.merge",
    "people.undo_merge",
    "registry.upload",
    "registry.preview",
    "people.data_export",
    "retention.index",
    "retention.request_anonymisation",
    "retention.decide",
}
# The administration area is the admin's, but for what every page shows.
ADMIN_AREA_OPEN = {"admin.office_logo": "the office's logo in every user's letterhead and header"}

REFUSED = (403, 404)
LOGIN_PATH = "/login"


def png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def records(world, factory):
    """One of each kind of record of the first office, each in the state in which the route
    that takes it would act (a draft to submit, a submitted referral to decide, ...), so a
    refusal is the access rule answering, not the state."""
    office, worker = world["office"], world["worker"]
    photo = (png_bytes(), "image/png", "foto.png")
    case = factory.case(office, worker, full_name="Rina Kasus", photo=photo)
    approved = factory.referral(case, "approved", archive=False)
    closing = factory.case(office, worker, full_name="Kasus Ditutup Menunggu")
    factory.closure(closing, "requested")
    closed = factory.case(office, worker, full_name="Kasus Ditutup")
    factory.closure(closed, "closed")
    unknown = factory.case(
        office,
        worker,
        full_name="",
        identity_known=False,
        physical_description="Kurus",
        found_place="Pasar",
    )
    return {
        "unknown": unknown,
        "case": case,
        "draft": factory.referral(case, "draft"),
        "submitted": factory.referral(case, "submitted"),
        "approved": approved,
        "completed": factory.referral(case, "completed", archive=False),
        "letter": approved.letter,
        "followup": factory.followup(case),
        "closing": closing,
        "closed": closed,
        "organisation": factory.organisation(office),
        "case_type": db.session.scalars(
            select(LocalCaseType).where(LocalCaseType.office_id == office.id)
        ).first(),
        "user": world["worker2"],
        "merge": _merged_pair(office, worker, factory),
        "registry_import": _registry_import(office, factory),
        "anonymisation": _anonymisation_request(office, worker, factory),
        "document": _document(case, worker),
        "guardian": factory.guardian(case),
        "batch": _letter_batch(case, world["manager"], factory),
    }


def _letter_batch(case, manager, factory):
    """A manager's batch print of one letter, done (run at its commit: LETTER_RENDER inline)."""
    from portal.services import letter_batch, uow

    letter = factory.referral(case, "approved", "service").letter
    batch = letter_batch.start(manager, [letter.id])
    uow.commit()
    return batch


def _registry_import(office, factory):
    """A SIKS-NG file read by a manager, waiting for its confirmation."""
    from portal.services import registry_import

    manager = factory.manager(office)
    item = registry_import.read(manager, "cek.csv", b"NIK,STATUS DTSEN\n1,TERDAFTAR\n",
                                factory.today(office))  # fmt: skip
    db.session.commit()
    return item


def _anonymisation_request(office, worker, factory):
    """A case closed long ago, its anonymisation asked for by a manager (for the decision)."""
    from datetime import datetime

    from portal.services import retention

    case = factory.case(office, worker, full_name="Kasus Lama")
    factory.closure(case, "closed")
    case.closed_at = datetime(2015, 1, 5)
    item = retention.request(factory.manager(office), case, factory.today(office), "Lewat masa")
    db.session.commit()
    return item


def _document(case, worker):
    """A document on the case (services.attachments), as its social worker uploads it."""
    import io

    from portal.services import attachments

    item = attachments.add(
        case, worker, {"doc_type": "ktp"}, io.BytesIO(png_bytes()), "ktp.png", ip=""
    )
    db.session.commit()
    return item


def _merged_pair(office, worker, factory):
    """Two records of one person, merged by a manager (for the undo route)."""
    from portal.services import merge

    kept = factory.case(office, worker, full_name="Orang Dipertahankan").person
    merged = factory.case(office, worker, full_name="Orang Digabungkan").person
    manager = factory.manager(office)
    record = merge.merge(manager, kept, merged, {}, (kept.version_id, merged.version_id))
    db.session.commit()
    return record


def url_values(rule, r) -> dict:
    """Real records for the rule's arguments; the ones an action needs in a given state."""
    values = {
        "case_id": r["case"].id,
        "referral_id": r["approved"].id,
        "followup_id": r["followup"].id,
        "letter_id": r["letter"].id,
        "person_id": r["case"].person_id,
        "user_id": r["user"].id,
        "merge_id": r["merge"].id,
        "request_id": r["anonymisation"].id,
        "attachment_id": r["document"].id,
        "guardian_id": r["guardian"].id,
        "batch_id": r["batch"].id,
        "fmt": "csv",
        "token": r["letter"].token,
        "filename": "css/app.css",
    }
    values |= {
        "referrals.edit": {"referral_id": r["draft"].id},
        "referrals.submit": {"referral_id": r["draft"].id},
        "referrals.decide": {"referral_id": r["submitted"].id},
        "followups.schedule_proposed": {"referral_id": r["completed"].id},
        "closure.decide": {"case_id": r["closing"].id},
        "closure.reopen": {"case_id": r["closed"].id},
        "retention.request_anonymisation": {"case_id": r["anonymisation"].case_id},
        "people.data_export": {"fmt": "zip"},
        "cases.identify": {"case_id": r["unknown"].id},
        "admin.edit_organisation": {"item_id": r["organisation"].id},
        "admin.edit_case_type": {"item_id": r["case_type"].id},
        "registry.preview": {"item_id": r["registry_import"].id},
    }.get(rule.endpoint, {})
    unknown = set(rule.arguments) - set(values)
    assert not unknown, f"{rule.endpoint}: fill {sorted(unknown)} with a real record here"
    return {name: values[name] for name in rule.arguments}


def rules(app, where=lambda rule: True):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if where(rule)),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


def requests_for(app, rule, r):
    """(method, url) for every method of the rule, the URL filled from real records."""
    adapter = app.url_map.bind("localhost")
    values = url_values(rule, r)
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        yield method, adapter.build(rule.endpoint, values, method=method)


def send(client, method, url, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    data = {} if method in ("POST", "PUT", "PATCH", "DELETE") else None
    return client.open(url, method=method, data=data, headers=headers)


def to_login(response, header="Location") -> bool:
    return urlsplit(response.headers.get(header, "")).path == LOGIN_PATH


def scoped(rule, names=OFFICE_SCOPED) -> bool:
    return bool(set(rule.arguments) & names)


def login(client, user):
    client.post("/logout")
    response = client.post("/login", data={"username": user.username, "password": "rahasia123"})
    assert response.status_code == 302, f"{user.username} could not log in"


def refusals(app, client, r, users, where, allowed=REFUSED):
    """Every request of every matching rule as each user; the ones not refused."""
    leaks = []
    for user in users:
        login(client, user)
        for rule in rules(app, where):
            for method, url in requests_for(app, rule, r):
                status = send(client, method, url).status_code
                if status not in allowed:
                    leaks.append(f"{user.username} ({user.role}): {method} {url} -> {status}")
    return leaks


# --- the lists stay true ------------------------------------------------------------------------


def test_every_listed_endpoint_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    listed = set(PUBLIC) | MANAGER_ONLY | set(ADMIN_AREA_OPEN)
    assert listed <= endpoints, f"gone from url_map: {sorted(listed - endpoints)}"


def test_every_url_argument_is_known(app):
    known = OFFICE_SCOPED | NOT_SCOPED
    unknown = {
        f"{rule.endpoint}: {name}"
        for rule in app.url_map.iter_rules()
        for name in rule.arguments
        if name not in known
    }
    assert not unknown, f"say whether these name a record of one office: {sorted(unknown)}"


def test_public_pages_answer_without_login(client):
    for url in ("/login", "/verify", "/favicon.ico"):
        assert client.get(url).status_code == 200, url


# --- anonymous ----------------------------------------------------------------------------------


def test_every_route_but_the_public_ones_refuses_anonymous_requests(app, client, records):
    """A page asks for a login; an htmx request gets 401 with HX-Redirect to the login page;
    a form post is sent to the login page (or refused)."""
    leaks, checked = [], 0
    for rule in rules(app, lambda rule: rule.endpoint not in PUBLIC):
        for method, url in requests_for(app, rule, records):
            checked += 1
            plain = send(client, method, url)
            if method == "GET":
                ok = plain.status_code in (302, 303) and to_login(plain)
            else:
                ok = (plain.status_code in (302, 303) and to_login(plain)) or (
                    plain.status_code in (401, *REFUSED)
                )
            if not ok:
                leaks.append(f"{rule.endpoint}: {method} {url} -> {plain.status_code}")
            htmx = send(client, method, url, htmx=True)
            if not (
                (htmx.status_code == 401 and to_login(htmx, "HX-Redirect"))
                or htmx.status_code in REFUSED
            ):
                leaks.append(f"{rule.endpoint}: htmx {method} {url} -> {htmx.status_code}")
    assert not leaks, "neither public nor refused:\n" + "\n".join(leaks)
    assert checked >= 60


# --- another office -----------------------------------------------------------------------------


def test_another_office_reaches_no_record_of_this_office(app, client, world, factory, records):
    """Every role of the other office, every route that names a case, referral, letter,
    follow-up, person, user or setting of this office: 404 (or 403), never the record."""
    other = world["other_office"]
    users = [world["other_manager"], world["other_worker"], factory.user(other, "admin")]
    leaks = refusals(app, client, records, users, scoped)
    assert not leaks, "reached another office's record:\n" + "\n".join(leaks)


def test_the_filled_urls_name_real_records(app, client, world, records):
    """The same GET URLs open for this office (so the refusals above are the access rule
    answering, not a missing record): the admin's pages for the admin, the rest for a manager."""
    failures = []
    for user, where in (
        (world["manager"], lambda rule: scoped(rule) and not rule.endpoint.startswith("admin.")),
        (world["admin"], lambda rule: scoped(rule) and rule.endpoint.startswith("admin.")),
    ):
        login(client, user)
        for rule in rules(app, where):
            for method, url in requests_for(app, rule, records):
                if method == "GET" and (status := send(client, method, url).status_code) != 200:
                    failures.append(f"{user.username}: {url} -> {status}")
    assert not failures, "\n".join(failures)


# --- roles within the office --------------------------------------------------------------------


def test_the_administration_refuses_social_workers_and_managers(app, client, world, records):
    def admin_area(rule):
        return rule.endpoint.startswith("admin.") and rule.endpoint not in ADMIN_AREA_OPEN

    users = [world["worker"], world["manager"]]
    leaks = refusals(app, client, records, users, admin_area, allowed=(403,))
    assert not leaks, "\n".join(leaks)


def test_decisions_and_the_audit_trail_refuse_the_cases_own_social_worker(
    app, client, world, records
):
    leaks = refusals(
        app, client, records, [world["worker"]], lambda r: r.endpoint in MANAGER_ONLY, (403,)
    )
    assert not leaks, "\n".join(leaks)


def test_the_administrator_sees_no_case_record(app, client, world, records):
    leaks = refusals(app, client, records, [world["admin"]], lambda rule: scoped(rule, CASE_SCOPED))
    assert not leaks, "\n".join(leaks)


def test_a_colleague_reaches_no_case_they_do_not_handle(app, client, world, records):
    leaks = refusals(
        app, client, records, [world["worker2"]], lambda rule: scoped(rule, CASE_SCOPED)
    )
    assert not leaks, "\n".join(leaks)
