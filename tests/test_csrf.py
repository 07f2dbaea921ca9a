"""CSRF protection as in production: every state change needs the token."""

import re

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def csrf_client(csrf_app, world):
    return csrf_app.test_client()


def token_from(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_login_without_token_is_refused(csrf_client):
    response = csrf_client.post("/login", data={"username": "pekerja", "password": PASSWORD})
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)


def test_login_with_token_works(csrf_client):
    token = token_from(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post(
        "/login", data={"username": "pekerja", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.fixture
def logged_in(csrf_client):
    token = token_from(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post(
        "/login", data={"username": "pekerja", "password": PASSWORD, "csrf_token": token}
    )
    return csrf_client


@pytest.mark.parametrize(
    "path",
    ["/cases/new", "/cases/{id}/notes", "/cases/{id}/edit", "/cases/{id}/person", "/logout",
     "/account", "/account/language"],
)  # fmt: skip
def test_state_changes_without_token_are_refused(world, logged_in, path):
    response = logged_in.post(path.format(id=world["case"].id), data={"body": "x"})
    assert response.status_code == 400


def test_htmx_post_with_header_token_works(world, logged_in):
    page = logged_in.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    token = token_from(page)
    response = logged_in.post(
        f"/cases/{world['case'].id}/notes",
        data={"body": "Catatan lewat htmx"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert "Catatan lewat htmx" in response.get_data(as_text=True)
