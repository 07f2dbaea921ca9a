"""SQLite under several workers: a page that only reads never waits for the write lock, and
what it records (someone saw a case) is written in a short transaction of its own."""

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog

from .conftest import TEST_DATABASE_URL, IsolatedClient, make_app

pytestmark = pytest.mark.skipif(
    bool(TEST_DATABASE_URL), reason="SQLite's locking; PostgreSQL readers never take a lock"
)


@pytest.fixture
def impatient(database_uri, world):
    """The app with no busy timeout at all: waiting for the write lock fails at once."""
    db.session.commit()
    app = make_app(database_uri, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0}})
    app.test_client_class = IsolatedClient
    return app


def hold_write_lock(database_uri: str) -> sqlite3.Connection:
    other = sqlite3.connect(
        database_uri.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")  # another worker, in the middle of a write
    return other


def test_pages_that_only_read_do_not_wait_for_a_writer(impatient, database_uri, world):
    client = impatient.test_client()
    with impatient.app_context():
        client.post("/login", data={"username": "manajer", "password": "rahasia123"})
        writer = hold_write_lock(database_uri)
        try:
            pages = (
                "/cases",
                "/tasks",
                "/approvals",
                "/dashboard",
                "/",
                f"/cases?q={world['case'].number}",
            )
            for url in pages:
                response = client.get(url)
                assert response.status_code == 200, url
            assert "Andi Baso" in client.get("/cases").text
        finally:
            writer.rollback()
            writer.close()
        db.session.remove()
        db.engine.dispose()


def test_a_workers_dashboard_marks_decisions_seen_without_holding_the_lock(
    app, database_uri, world, client, auth
):
    """The dashboard reads while another worker writes; the decisions it showed are marked
    seen once the lock is free (in a short write of its own, as a case view's audit entry)."""
    from portal.models import User

    auth.login("pekerja")
    writer = hold_write_lock(database_uri)
    threading.Timer(0.3, writer.rollback).start()
    response = client.get("/dashboard")
    writer.close()
    assert response.status_code == 200
    db.session.remove()
    worker = db.session.scalar(select(User).where(User.username == "pekerja"))
    assert worker.decisions_seen_at is not None


def test_a_case_seen_while_another_worker_writes_is_audited_once_the_lock_is_free(
    app, database_uri, world, client, auth
):
    auth.login("manajer")
    writer = hold_write_lock(database_uri)
    threading.Timer(0.3, writer.rollback).start()  # the other worker finishes its write
    response = client.get(f"/cases/{world['case'].id}")
    writer.close()
    assert response.status_code == 200 and "Andi Baso" in response.text
    seen = select(func.count()).where(
        AuditLog.action == "case.view", AuditLog.case_id == world["case"].id
    )
    assert db.session.scalar(seen) == 1
