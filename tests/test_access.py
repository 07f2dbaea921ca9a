"""Every route for every role: allowed, forbidden, and 404 for a case the user may not see."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog

CASE_GET = ["/cases/{id}", "/cases/{id}/edit", "/cases/{id}/person"]
ADMIN_GET = [
    "/admin/",
    "/admin/office",
    "/admin/users/new",
    "/admin/organisations/new",
    "/admin/case-types/new",
    "/admin/audit",
]
WORKER_GET = ["/cases", "/cases/new", "/cases/duplicates?full_name=andi", "/cases/check-nik?nik=1"]


def url(template, case):
    return template.format(id=case.id)


@pytest.mark.parametrize(
    "path",
    WORKER_GET + ADMIN_GET + ["/cases/1", "/cases/1/edit", "/cases/1/audit", "/account", "/"],
)
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/cases/1/notes", "/cases/1/assign", "/cases/new", "/account"])
def test_anonymous_posts_are_refused(client, path):
    response = client.post(path, data={"body": "x"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("template", CASE_GET)
def test_worker_sees_own_case_only(world, client, auth, template):
    auth.login("pekerja")
    assert client.get(url(template, world["case"])).status_code == 200
    assert client.get(url(template, world["case2"])).status_code == 404
    assert client.get(url(template, world["other_case"])).status_code == 404


@pytest.mark.parametrize("template", CASE_GET + ["/cases/{id}/audit"])
def test_manager_sees_office_cases_not_other_offices(world, client, auth, template):
    auth.login("manajer")
    assert client.get(url(template, world["case"])).status_code == 200
    assert client.get(url(template, world["case2"])).status_code == 200
    assert client.get(url(template, world["other_case"])).status_code == 404


@pytest.mark.parametrize("template", CASE_GET + ["/cases/{id}/audit"])
def test_admin_sees_no_case_contents(world, client, auth, template):
    auth.login("admin")
    assert client.get(url(template, world["case"])).status_code == 403
    assert client.get("/cases").status_code == 403
    assert client.get("/cases/new").status_code == 403


def test_worker_may_not_open_audit_trail(world, client, auth):
    auth.login("pekerja")
    assert client.get(f"/cases/{world['case'].id}/audit").status_code == 403


@pytest.mark.parametrize("path", ADMIN_GET)
@pytest.mark.parametrize("username", ["pekerja", "manajer"])
def test_only_admin_reaches_admin(world, client, auth, path, username):
    auth.login(username)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_GET)
def test_admin_reaches_admin(world, client, auth, path):
    auth.login("admin")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", WORKER_GET)
@pytest.mark.parametrize("username", ["pekerja", "manajer"])
def test_case_workers_reach_case_pages(world, client, auth, path, username):
    auth.login(username)
    assert client.get(path).status_code == 200


def test_changes_to_a_case_of_another_office_answer_404(world, client, auth):
    auth.login("manajer")
    other = world["other_case"]
    assert client.post(f"/cases/{other.id}/notes", data={"body": "x"}).status_code == 404
    assert client.post(f"/cases/{other.id}/assign", data={"worker": "1"}).status_code == 404
    assert client.post(f"/cases/{other.id}/edit", data={}).status_code == 404
    assert client.post(f"/cases/{other.id}/person", data={}).status_code == 404


def test_worker_cannot_change_a_colleagues_case(world, client, auth):
    auth.login("pekerja")
    case2 = world["case2"]
    assert client.post(f"/cases/{case2.id}/notes", data={"body": "x"}).status_code == 404
    assert client.post(f"/cases/{case2.id}/edit", data={}).status_code == 404


def test_only_managers_assign(world, client, auth):
    auth.login("pekerja")
    response = client.post(
        f"/cases/{world['case'].id}/assign", data={"worker": str(world["worker2"].id)}
    )
    assert response.status_code == 403


def test_cannot_register_a_case_for_a_person_of_another_office(world, client, auth):
    auth.login("manajer")
    person_id = world["other_case"].person_id
    assert client.get(f"/cases/new?person={person_id}").status_code == 404


def test_photo_of_another_office_is_404(world, client, auth):
    auth.login("manajer")
    assert client.get(f"/people/{world['other_case'].person_id}/photo").status_code == 404


def test_refused_views_write_no_view_audit(world, client, auth):
    auth.login("pekerja")
    client.get(f"/cases/{world['case2'].id}")
    count = db.session.scalar(
        select(func.count()).where(
            AuditLog.action == "case.view", AuditLog.case_id == world["case2"].id
        )
    )
    assert count == 0


def test_case_list_never_shows_another_offices_cases(world, client, auth):
    auth.login("manajer")
    page = client.get("/cases").get_data(as_text=True)
    assert "Andi Baso" in page and "Sitti Rahmah" in page
    assert "Budi Santoso" not in page
    page = client.get("/cases?q=budi").get_data(as_text=True)
    assert "Budi Santoso" not in page
