"""Issued letters are rendered into the archive without the approving manager waiting for it
(LETTER_RENDER = "background"), shown as "Surat sedang disiapkan" until they are; two renders of
one letter store one set of bytes; `flask archive-letters` renders those a process never did."""

import hashlib
import threading

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Letter
from portal.services import letter_archive
from portal.services import letters as letter_service
from tests.conftest import make_app


def letter_row(letter_id: int) -> Letter:
    db.session.rollback()  # a fresh transaction: what the other threads and requests committed
    db.session.expire_all()
    return db.session.get(Letter, letter_id)


@pytest.fixture
def app(database_uri):
    """The app as in production: letters rendered by the background worker thread."""
    app = make_app(database_uri, LETTER_RENDER="background")
    with app.app_context():
        yield app
        letter_archive.wait_idle(app)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def held_render(monkeypatch):
    """render_letter blocks until the test releases it."""
    release, started = threading.Event(), threading.Event()
    real = letter_service.render_letter

    def held(letter):
        started.set()
        assert release.wait(20), "the test never released the render"
        return real(letter)

    monkeypatch.setattr(letter_service, "render_letter", held)
    return release, started


def test_approval_answers_before_the_render_and_the_pdf_follows(
    app, world, client, auth, factory, held_render
):
    release, started = held_render
    referral = factory.referral(world["case"], "submitted", "rsj")
    auth.login("manajer")
    answer = client.post(
        f"/referrals/{referral.id}/decide", data={"action": "approve"}, headers={"HX-Request": "1"}
    )
    assert answer.status_code == 200  # answered while the render is still held
    assert "Surat sedang disiapkan" in answer.text
    assert started.wait(10)  # the worker thread took the letter
    letter_id = letter_row_for(referral.id)
    assert letter_row(letter_id).pdf_sha256 == ""
    state = client.get(f"/letters/{letter_id}/pdf-state")
    assert "Surat sedang disiapkan" in state.text and 'hx-trigger="every 2s"' in state.text
    page = client.get(f"/referrals/{referral.id}")
    assert "Surat sedang disiapkan" in page.text and "Muat ulang" in page.text

    release.set()
    letter_archive.wait_idle(app)
    letter = letter_row(letter_id)
    assert letter.pdf and letter.pdf_sha256 == hashlib.sha256(letter.pdf).hexdigest()
    state = client.get(f"/letters/{letter_id}/pdf-state")
    assert f"/letters/{letter_id}.pdf" in state.text and "disiapkan" not in state.text
    download = client.get(f"/letters/{letter_id}.pdf")
    assert download.status_code == 200 and download.data == letter.pdf


def letter_row_for(referral_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(Letter.id).where(Letter.referral_id == referral_id))


def test_a_download_before_the_worker_renders_and_the_worker_keeps_its_bytes(
    app, world, client, auth, factory, held_render
):
    release, started = held_render
    referral = factory.referral(world["case"], "submitted", "rsj")
    auth.login("manajer")
    client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    assert started.wait(10)
    letter_id = letter_row_for(referral.id)
    release.set()  # the download renders too (held renders are released now)
    download = client.get(f"/letters/{letter_id}.pdf")
    letter_archive.wait_idle(app)
    letter = letter_row(letter_id)
    assert download.status_code == 200
    assert download.data == letter.pdf  # whichever render stored first, the other did not
    assert download.headers["X-Content-SHA256"] == letter.pdf_sha256


def test_store_keeps_the_first_bytes(world, factory):
    referral = factory.referral(world["case"], "approved", "rsj", archive=False)
    letter_id = referral.letter.id
    assert letter_archive.store(letter_id, b"%PDF first") is True
    assert letter_archive.store(letter_id, b"%PDF second") is False
    db.session.commit()
    letter = letter_row(letter_id)
    assert letter.pdf == b"%PDF first"
    assert letter.pdf_sha256 == hashlib.sha256(b"%PDF first").hexdigest()


def test_archive_letters_command_renders_the_missing_ones(world, factory, runner):
    first = factory.referral(world["case"], "approved", "rsj", archive=False).letter.id
    second = factory.referral(world["case2"], "approved", "service", archive=False).letter.id
    db.session.commit()
    result = runner.invoke(args=["archive-letters"])
    assert result.exit_code == 0, result.output
    assert "2 letters archived." in result.output
    for letter_id in (first, second):
        letter = letter_row(letter_id)
        assert letter.pdf.startswith(b"%PDF")
        assert letter.pdf_sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert "0 letters archived." in runner.invoke(args=["archive-letters"]).output


def test_each_process_starts_its_own_worker_thread(app, monkeypatch):
    """A gunicorn worker forks after the app exists: the parent's thread is not in the child,
    so a process whose id differs from the one that started the thread starts its own."""
    first = letter_archive._worker(app)
    assert letter_archive._worker(app) is first  # one thread per process
    parent = app.extensions["letter_archive"]["pid"]
    monkeypatch.setattr(letter_archive.os, "getpid", lambda: parent + 1)
    second = letter_archive._worker(app)
    assert second is not first
    assert app.extensions["letter_archive"]["thread"].is_alive()


def test_a_letter_its_process_never_rendered_gets_its_link_and_renders_on_download(
    world, client, auth, factory
):
    from datetime import timedelta

    letter = factory.referral(world["case"], "approved", "service", archive=False).letter
    auth.login("manajer")
    assert "Surat sedang disiapkan" in client.get(f"/letters/{letter.id}/pdf-state").text
    letter.created_at -= letter_archive.OVERDUE + timedelta(seconds=5)
    db.session.commit()
    state = client.get(f"/letters/{letter.id}/pdf-state").text
    assert f"/letters/{letter.id}.pdf" in state and "disiapkan" not in state
    download = client.get(f"/letters/{letter.id}.pdf")
    assert download.status_code == 200 and download.data == letter_row(letter.id).pdf
