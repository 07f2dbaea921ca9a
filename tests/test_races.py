"""Requests at the same moment: a unique constraint one of them breaks is the same refusal (422,
the typed form kept) that the service's own check gives, never a 500."""

from __future__ import annotations

import threading
import urllib.request
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import Case, Person

from .conftest import PASSWORD
from .test_intake import case_form

NIK = "7371010203850001"  # Kota Makassar, Mariso; a man born 2 March 1985 (case_form's)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer here (HTTPError 302), not followed


@pytest.fixture
def server(app):
    """The app on a real threaded server on a free port; its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


def _session(base: str, username: str):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
    )
    data = urlencode({"username": username, "password": PASSWORD}).encode()
    try:
        opener.open(f"{base}/login", data=data, timeout=30)
    except HTTPError as answer:
        assert answer.code in (302, 303), answer.code
    return opener


def _post(opener, url: str, values: dict) -> tuple[int, str]:
    try:
        with opener.open(url, data=urlencode(values).encode(), timeout=60) as answer:
            return answer.status, answer.read().decode()
    except HTTPError as answer:
        return answer.code, answer.read().decode()


@pytest.mark.parametrize("n", [6])
def test_simultaneous_registrations_of_one_nik(app, world, server, n):
    openers = [_session(server, name) for name in ("pekerja", "pekerja2", "manajer") * 2][:n]
    barrier = threading.Barrier(n)
    answers: dict[int, tuple[int, str]] = {}

    def register(i, opener):
        barrier.wait()
        form = case_form(nik=NIK, full_name=f"Nama Ketikan Nomor {i}")
        answers[i] = _post(opener, f"{server}/cases/new", form)

    threads = [threading.Thread(target=register, args=pair) for pair in enumerate(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [302] + [422] * (n - 1), statuses
    for i, (status, page) in answers.items():
        if status == 422:
            assert f"Nama Ketikan Nomor {i}" in page  # the typed form is kept
            assert "NIK ini sudah terdaftar" in page
    db.session.expire_all()
    people = db.session.scalars(select(Person).where(Person.nik == NIK)).all()
    assert len(people) == 1
    assert db.session.scalar(select(func.count(Case.id)).where(Case.person_id == people[0].id)) == 1


def test_a_lost_race_answers_as_the_check_does(world, client, auth, factory, monkeypatch):
    """The race made certain: the service's check misses the person registered a moment ago
    (once), the database refuses the second NIK, and the view runs again and refuses as usual."""
    from portal.services import intake

    factory.case(world["office"], world["worker2"], nik=NIK, full_name="Yang Pertama")
    real, misses = intake.person_with_nik, []

    def blind_once(*args, **kwargs):
        if not misses:
            misses.append(1)
            return None
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "person_with_nik", blind_once)
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form(nik=NIK, full_name="Yang Kedua"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Yang Kedua" in page and "NIK ini sudah terdaftar" in page
    assert misses == [1]
    assert db.session.scalar(select(func.count(Person.id)).where(Person.nik == NIK)) == 1


def test_a_constraint_no_check_covers_is_a_refusal(world, client, auth, factory, monkeypatch):
    """Were the check missing altogether, the constraint still answers with its message."""
    from portal.services import intake

    factory.case(world["office"], world["worker2"], nik=NIK, full_name="Yang Pertama")
    monkeypatch.setattr(intake, "person_with_nik", lambda *a, **k: None)
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form(nik=NIK, full_name="Yang Kedua"))
    assert response.status_code == 422
    assert "NIK ini sudah terdaftar" in response.get_data(as_text=True)


@pytest.mark.parametrize("n", [4])
def test_simultaneous_saves_of_one_guardian_record_it_once(app, world, server, n):
    """QA: two saves of the same guardian at the same moment both passed the service's check
    (PostgreSQL; on SQLite a writing request holds the write lock from its start)."""
    from portal.models import PersonGuardian

    case_id = world["case"].id
    openers = [_session(server, name) for name in ("pekerja", "manajer") * 2][:n]
    barrier = threading.Barrier(n)
    answers: dict[int, tuple[int, str]] = {}
    form = {"role": "wali", "relation": "parent", "name": "Hasnah Daeng Caya", "phone": ""}

    def save(i, opener):
        barrier.wait()
        answers[i] = _post(opener, f"{server}/cases/{case_id}/guardians/new", form)

    threads = [threading.Thread(target=save, args=pair) for pair in enumerate(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [302] + [422] * (n - 1), statuses
    for status, page in answers.values():
        assert status == 302 or "sudah tercatat dengan hubungan yang sama" in page
    db.session.expire_all()
    assert len(db.session.scalars(select(PersonGuardian)).all()) == 1
