"""Fixtures: a fresh database per test (SQLite file, or a new PostgreSQL database when
TEST_DATABASE_URL is set), the app, a client, an `auth` helper and data factories."""

from __future__ import annotations

import contextvars
import itertools
import os
import shutil
import uuid
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_PROVINCES = ["73", "64", "35", "32", "31"]
PASSWORD = "rahasia123"
_counter = itertools.count()


def _pg_admin_url():
    url = make_url(TEST_DATABASE_URL)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _pg_execute(sql: str) -> None:
    engine = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _build_schema(uri: str) -> None:
    """Migrate an empty database to head and load test regions: the template every test copies."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade()
        from portal.services.regions import load_regions

        load_regions(TEST_PROVINCES)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    if TEST_DATABASE_URL:
        name = f"simpul_tpl_{uuid.uuid4().hex[:8]}"
        _pg_execute(f'CREATE DATABASE "{name}"')
        _build_schema(_pg_admin_url().set(database=name).render_as_string(hide_password=False))
        yield name
        _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite"
        _build_schema(f"sqlite:///{path}")
        yield path


@pytest.fixture
def database_uri(template_db, tmp_path):
    if TEST_DATABASE_URL:
        name = f"simpul_t_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
        _pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
        yield _pg_admin_url().set(database=name).render_as_string(hide_password=False)
        _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "test.sqlite"
        shutil.copy(template_db, path)
        yield f"sqlite:///{path}"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context (its own `g`, its own database session), as on
    a real server, even though the test itself holds an app context to look at the database.
    The test's session commits what the test set up before the request and starts afresh after
    it, so the test sees what the request wrote."""

    def open(self, *args, **kwargs):
        try:
            db.session.commit()
        except RuntimeError:  # no app context in the test
            pass
        response = contextvars.Context().run(super().open, *args, **kwargs)
        try:
            db.session.rollback()
            db.session.expire_all()
        except RuntimeError:
            pass
        return response


def make_app(database_uri: str, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; production uses scrypt
    }
    config.update(extra)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def app(database_uri):
    app = make_app(database_uri)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_app(database_uri):
    """The app with CSRF protection on, as in production."""
    app = make_app(database_uri, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Small data factories that go through the same services as the views."""

    def __init__(self, app):
        self.app = app
        self.n = itertools.count(1)

    def office(self, code=None, name=None, region_code="73.71", **values):
        from portal.services.offices import create_office

        i = next(self.n)
        office = create_office(
            code or f"office{i}",
            name or f"Dinas Sosial Uji {i}",
            government_line="PEMERINTAH KOTA UJI",
            city="Makassar",
            region_code=region_code,
            **values,
        )
        db.session.commit()
        return office

    def user(self, office, role="worker", username=None, **values):
        from portal.models import User

        i = next(self.n)
        user = User(
            office_id=office.id,
            username=username or f"{role}{i}",
            full_name=values.pop("full_name", f"Petugas {role.title()} {i}"),
            role=role,
            **values,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    def case(self, office, user, person=None, **overrides):
        from portal.services import intake

        i = next(self.n)
        person_values = {
            "identity_known": True,
            "full_name": overrides.pop("full_name", f"Orang Uji {i}"),
            "sex": overrides.pop("sex", "L"),
            "birth_date": overrides.pop("birth_date", None),
            "estimated_age": overrides.pop("estimated_age", 40),
            "nik": overrides.pop("nik", None),
            "kk_number": overrides.pop("kk_number", None),
            "phone": overrides.pop("phone", None),
            "province_code": "73",
            "regency_code": "73.71",
            "district_code": overrides.pop("district_code", "73.71.01"),
        }
        case_values = {
            "ppks_code": overrides.pop("ppks_code", "11"),
            "local_type_id": overrides.pop("local_type_id", None),
            "channel": "residents",
            "reported_at": overrides.pop("reported_at", datetime(2026, 11, 20, 8, 0)),
            "summary": overrides.pop("summary", "Ditemukan di pasar."),
            "urgency": "normal",
            "district_code": "73.71.01",
        }
        case_values.update(overrides)
        case = intake.register(office, user, person_values, case_values, person=person)
        db.session.commit()
        return case


@pytest.fixture
def factory(app):
    return Factory(app)


@pytest.fixture
def world(factory):
    """Two offices; in the first a manager, two workers, an admin; a case of each worker."""
    office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
    other = factory.office(
        code="balikpapan", name="Dinas Sosial Kota Balikpapan", region_code="64.71"
    )
    w = {
        "office": office,
        "other_office": other,
        "manager": factory.user(office, "manager", "manajer"),
        "worker": factory.user(office, "worker", "pekerja"),
        "worker2": factory.user(office, "worker", "pekerja2"),
        "admin": factory.user(office, "admin", "admin"),
        "other_manager": factory.user(other, "manager", "bpp_manajer"),
        "other_worker": factory.user(other, "worker", "bpp_pekerja"),
    }
    w["case"] = factory.case(office, w["worker"], full_name="Andi Baso")
    w["case2"] = factory.case(office, w["worker2"], full_name="Sitti Rahmah", sex="P")
    w["other_case"] = factory.case(other, w["other_worker"], full_name="Budi Santoso")
    return w


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username, password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def days_ago(n: int) -> datetime:
    return datetime.now() - timedelta(days=n)
