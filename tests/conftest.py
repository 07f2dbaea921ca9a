"""Fixtures: a fresh database per test (SQLite file, or a new PostgreSQL database when
TEST_DATABASE_URL is set), the app, a client, an `auth` helper and data factories."""

from __future__ import annotations

import contextvars
import itertools
import os
import shutil
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_PROVINCES = ["73", "64", "35", "32", "31", "76"]  # 76: Pasangkayu, a destination
PASSWORD = "rahasia123"
_counter = itertools.count()

# Instants at which the office's date differs from UTC's, or a month or a year turns (DESIGN.md):
AWKWARD_INSTANTS = {
    # 00:30 WITA on 1 December: still 30 November in UTC, a new day and month at the office
    "0030-wita": datetime(2026, 11, 30, 16, 30, tzinfo=UTC),
    # 07:30 WITA on 1 January 2027: still 2026 in UTC, a new year at the office
    "new-year": datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
    # 10:00 WITA: the same date in UTC and at the office
    "0200-utc": datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
}


def pytest_generate_tests(metafunc):
    """A test marked office_clock runs at the real time and at each awkward instant."""
    if metafunc.definition.get_closest_marker("office_clock"):
        metafunc.parametrize("office_clock", ["now", *AWKWARD_INSTANTS], indirect=True)


@pytest.fixture(autouse=True)
def office_clock(request):
    """The clock of the test: the real one, or a frozen instant that goes on ticking. The
    whole suite can be run at one instant too: SIMPUL_CLOCK=0030-wita (a name above, or an
    ISO time with its offset)."""
    name = getattr(request, "param", None) or os.environ.get("SIMPUL_CLOCK") or "now"
    if name == "now":
        yield None
        return
    instant = AWKWARD_INSTANTS.get(name) or datetime.fromisoformat(name)
    with time_machine.travel(instant, tick=True):
        yield instant


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
        "LETTER_RENDER": "inline",  # the PDF is archived before the response (deterministic)
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

    def case(self, office, user, person=None, photo=None, **overrides):
        """A case registered through intake; `photo` is (bytes, mimetype, filename);
        `reported_at` is the office's wall-clock time, as the registration form takes it."""
        from portal.services import intake
        from portal.services.timeutil import local_to_utc

        i = next(self.n)
        person_values = {
            "identity_known": overrides.pop("identity_known", True),
            "physical_description": overrides.pop("physical_description", ""),
            "found_place": overrides.pop("found_place", ""),
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
            "reported_at": local_to_utc(
                overrides.pop("reported_at", datetime(2026, 11, 20, 8, 0)), office.timezone
            ),
            "summary": overrides.pop("summary", "Ditemukan di pasar."),
            "urgency": "normal",
            "district_code": "73.71.01",
        }
        case_values.update(overrides)
        case = intake.register(office, user, person_values, case_values, person=person, photo=photo)
        db.session.commit()
        return case

    # --- helpers the factories share ----------------------------------------------------------

    def today(self, office) -> date:
        """The business date at this office (the app's own "today at this office" helper)."""
        from portal.services.timeutil import office_today

        return office_today(office)

    def handler(self, case):
        """The user who handles the case: the assigned worker, else the one who registered it."""
        from portal.models import User

        return db.session.get(User, case.assigned_to_id or case.created_by_id)

    def manager(self, office, besides=None):
        """An active manager of the office other than `besides` (one is added if none)."""
        from portal.models import User

        query = (
            select(User)
            .where(User.office_id == office.id, User.role == "manager", User.active.is_(True))
            .order_by(User.id)
        )
        if besides is not None:
            query = query.where(User.id != besides.id)
        return db.session.scalars(query).first() or self.user(office, "manager")

    def _office_of(self, record):
        from portal.models import Office

        return db.session.get(Office, record.office_id)

    # --- partner organisations, referrals and their letters ------------------------------------

    ORGANISATIONS = {
        "rsj": ("RSJ Dadi Makassar", "73.71"),
        "dinsos": ("Dinas Sosial Kota Bandung", "32.73"),
        "panti": ("UPTD Rehabilitasi Sosial", "73.71"),
        "hospital": ("RSUD Daya", "73.71"),
    }
    RECEIVER_KIND = {
        "rsj": "rsj",
        "return_home": "dinsos",
        "placement": "panti",
        "service": "hospital",
    }

    def organisation(self, office, kind="rsj", name=None, region_code=None):
        """The office's partner organisation of this kind and name (added the first time; the
        admin page writes the model itself, there is no service in between)."""
        from portal.models import Organisation

        default_name, default_region = self.ORGANISATIONS.get(kind, (f"Mitra {kind}", "73.71"))
        name = name or default_name
        item = db.session.scalar(
            select(Organisation).where(
                Organisation.office_id == office.id,
                Organisation.kind == kind,
                Organisation.name == name,
            )
        )
        if item is None:
            item = Organisation(
                office_id=office.id,
                name=name,
                kind=kind,
                region_code=region_code or default_region,
            )
            db.session.add(item)
            db.session.commit()
        return item

    def referral_values(self, case, kind="rsj", organisation=None) -> dict:
        """What a complete referral of `kind` holds, ready to submit."""
        office = self._office_of(case)
        org = organisation or self.organisation(office, self.RECEIVER_KIND[kind])
        values = {"organisation_id": org.id, "planned_date": self.today(office)}
        values |= {
            "rsj": {
                "medical_referral": False,
                "observations": "Gelisah.",
                "insurance": "none",
                "family_status": "informed",
                "escort": "Tim",
                "transport": "Ambulans",
            },
            "return_home": {
                "destination_regency_code": "32.73",
                "route": "direct",
                "transport": "Kapal Pelni",
                "escort": "Andi",
            },
            "placement": {"programme": "Rehabilitasi sosial", "expected_duration": "6 bulan"},
            "service": {"purpose": "Pendaftaran BPJS PBI"},
        }[kind]
        return values

    REFERRAL_STATES = (
        "draft",
        "submitted",
        "returned",
        "rejected",
        "approved",
        "completed",
        "cancelled",
    )

    def referral(
        self,
        case,
        state="submitted",
        kind="rsj",
        *,
        by=None,
        manager=None,
        organisation=None,
        handover=None,
        decided_at=None,
        comment=None,
        archive=True,
        basis="legal_duty",
        **values,
    ):
        """A referral of the case in `state`, taken there step by step through the referral
        service, as the views do: created and submitted by `by` (the case's handler), decided
        by `manager` (another manager of the office); "approved" and later states carry the
        letter the approval issued (archived as after the view's commit unless archive=False),
        "completed" its handover (on `handover`, default today) and berita acara.
        `decided_at` backdates the decision (and dates its letter that day) for period reports:
        the office's wall-clock time, stored in UTC. A case without a basis of processing gets
        one (`basis`, services.consent), so that the referral can be submitted; basis=None: none."""
        from portal.services import letters
        from portal.services import referrals as service
        from portal.services.timeutil import local_to_utc

        assert state in self.REFERRAL_STATES, state
        by = by or self.handler(case)
        data = self.referral_values(case, kind, organisation) | values
        if basis:
            self.basis(case, basis)
        referral = service.create(case, by, kind, data)
        if state != "draft":
            service.submit(referral, by)
        if state in ("returned", "rejected", "approved", "completed", "cancelled"):
            manager = manager or self.manager(self._office_of(case), besides=by)
            if state == "returned":
                service.return_for_changes(referral, manager, comment or "Lengkapi datanya.")
            elif state == "rejected":
                service.reject(referral, manager, comment or "Belum perlu dirujuk.")
            else:
                today = decided_at.date() if decided_at else None
                service.approve(referral, manager, comment or "", today=today)
                if decided_at is not None:
                    tz = self._office_of(case).timezone
                    referral.decided_at = local_to_utc(decided_at, tz)
        if state == "completed":
            org = referral.organisation
            when = handover or self.today(self._office_of(case))
            receiver = org.name if org else "Penerima"
            service.complete(
                referral, by, service.Handover(when, "IGD", "Ns. Hasanah", "Perawat", receiver)
            )
        elif state == "cancelled":
            service.cancel(referral, by, comment or "Keluarga menjemput sendiri.")
        db.session.commit()
        if archive and state in ("approved", "completed", "cancelled"):
            letters.archive_new(referral.id)
        return referral

    # --- guardians and the basis of processing -----------------------------------------------

    def guardian(self, case, *, by=None, **values):
        """A guardian of the case's person, through services.consent (the case's handler)."""
        from portal.services import consent

        values = {"role": "wali", "relation": "parent", "name": "Hasnah Daeng Caya"} | values
        guardian = consent.add_guardian(case, by or self.handler(case), values)
        db.session.commit()
        return guardian

    def basis(self, case, basis="legal_duty", *, by=None, **values):
        """The case's basis of processing (kept if the case has one already): consent by the
        person himself (`consent_by="guardian", guardian_id=…` for a guardian's), or a basis
        without consent with a note."""
        from portal.services import consent

        if (current := consent.basis_of(case)) is not None:
            return current
        values = {"basis": basis, "note": "Tugas dinas sosial (UU 11/2009)."} | values
        if basis == "consent":
            values = {"consent_by": "self", "purpose": "Rujukan dan penanganan kasus"} | values
            values.setdefault("consent_given_on", self.today(self._office_of(case)))
        record = consent.record_basis(case, by or self.handler(case), values)
        db.session.commit()
        return record

    # --- follow-ups and aid --------------------------------------------------------------------

    def followup(
        self,
        case,
        due=None,
        *,
        overdue=False,
        by=None,
        assigned_to=None,
        kind="home_visit",
        purpose="Kunjungan",
        referral=None,
    ):
        """An open follow-up scheduled through the follow-up service by `by` (a manager of the
        office) for `assigned_to` (the case's handler), due on `due` (default today at the
        office) or, with overdue=True, a month ago (overdue whatever today is). Scheduled as if
        on its due day, so any due date is accepted."""
        from portal.services import followups

        office = self._office_of(case)
        if due is None:
            due = self.today(office) - timedelta(days=30 if overdue else 0)
        followup = followups.schedule(
            case,
            by or self.manager(office),
            kind=kind,
            due_date=due,
            assigned_to=assigned_to or self.handler(case),
            purpose=purpose,
            referral=referral,
            today=due,
        )
        db.session.commit()
        return followup

    def aid(
        self,
        case,
        kind="food",
        *,
        by=None,
        given_on=None,
        quantity=None,
        unit=None,
        amount=None,
        **values,
    ):
        """Aid given, recorded through the aid service by `by` (the case's handler): a quantity
        (1 paket unless told) or, with `amount`, Rupiah; given today at the office by default."""
        from portal.services import aid as aid_service

        if quantity is None and amount is None:
            quantity, unit = 1, unit or "paket"
        record = {
            "kind": kind,
            "quantity": quantity,
            "unit": unit or "",
            "amount": amount,
            "given_on": given_on or self.today(self._office_of(case)),
        } | values
        aid = aid_service.record_aid(case, by or self.handler(case), record)
        db.session.commit()
        return aid

    # --- closures -----------------------------------------------------------------------------

    CLOSURE_STATES = ("requested", "returned", "approved", "closed", "reopened")

    def closure(
        self,
        case,
        state="closed",
        *,
        by=None,
        manager=None,
        reason="returned_family",
        closed_on=None,
        summary="Klien kembali ke keluarga.",
        cancel_reason=None,
        comment=None,
        reopen_reason="Keluarga menolak.",
    ):
        """The case's closure in `state`, through the closure service: asked for by `by` (the
        case's handler); "requested" waits for a manager, "returned" and "approved" are that
        manager's decision; "closed" is a closed case whichever way (closed at once by a manager
        or where no approval is needed, else requested and approved); "reopened" is closed and
        then reopened (for `reopen_reason`) by the manager. Open follow-ups are cancelled with
        `cancel_reason`."""
        from portal.services import closure as service

        assert state in self.CLOSURE_STATES, state
        office = self._office_of(case)
        by = by or self.handler(case)
        closure = service.request(
            case,
            by,
            reason=reason,
            closed_on=closed_on or self.today(office),
            summary=summary,
            cancel_reason=cancel_reason,
        )
        if state in ("requested", "returned", "approved"):
            assert closure.status == "requested", f"{by.username} closes without an approval"
        if closure.status == "requested" and state != "requested":
            manager = manager or self.manager(office, besides=by)
            if state == "returned":
                service.return_for_changes(closure, manager, comment or "Lengkapi ringkasannya.")
            else:
                service.approve(closure, manager, comment or "")
        if state == "reopened":
            db.session.commit()
            service.reopen(case, manager or self.manager(office), reopen_reason)
        db.session.commit()
        return closure


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


OFFICE_TZ = "Asia/Makassar"  # the test offices' time zone (WITA), the model's default


def office_today() -> date:
    """Today at the test offices: what the portal takes for "today" (not the server's date)."""
    from portal.services.timeutil import local_today

    return local_today(OFFICE_TZ)


def stored(local: datetime) -> datetime:
    """An office wall-clock time as the database stores it (UTC), for rows a test writes
    itself instead of through a form."""
    from portal.services.timeutil import local_to_utc

    return local_to_utc(local, OFFICE_TZ)


def days_ago(n: int) -> datetime:
    """The office's wall-clock time n days ago (as a form takes it)."""
    from portal.services.timeutil import utc_to_local, utcnow

    return utc_to_local(utcnow(), OFFICE_TZ) - timedelta(days=n)
