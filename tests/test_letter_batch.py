"""Batch print: a manager ticks letters on the register (or takes all its filter finds); the POST
records a batch and answers with its progress page ("Menyiapkan 1 dari 2 surat…", a progress bar
that htmx polls, a self-refreshing page without JavaScript), which ends with the link to one PDF
of the letters' archived bytes. Each letter's print is in the audit log when that PDF is
downloaded; letters the manager may not print are left out and said so; at most BATCH_MAX; only
the manager who made a batch sees it; a batch whose process stopped can be run again; batches
older than a day are deleted."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import AuditLog, Letter, LetterBatch
from portal.models._base import utcnow
from portal.services import letter_archive, letter_batch
from portal.services import letters as letter_service
from portal.services.letter_batch import BATCH_MAX
from tests.conftest import PASSWORD, make_app


def token_from(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def batch_audits() -> list[int]:
    db.session.rollback()
    query = select(AuditLog.object_id).where(AuditLog.action == "letter.print_batch")
    return sorted(db.session.scalars(query))


def start(client, **data) -> str:
    """POST the batch; the progress page's path."""
    answer = client.post("/letters/print", data=data)
    assert answer.status_code == 303, answer.text
    path = answer.headers["Location"]
    assert re.fullmatch(r"/letters/print/\d+", path), path
    return path


def batch_row(path: str) -> LetterBatch | None:
    """The batch as committed, detached: the test's session keeps no transaction open (on
    SQLite it would hold the write lock the worker needs)."""
    db.session.rollback()
    db.session.expire_all()
    row = db.session.get(LetterBatch, int(path.rsplit("/", 1)[1]))
    if row is not None:
        db.session.refresh(row)
        db.session.expunge(row)
    db.session.rollback()
    return row


def backdate(path: str, **values) -> None:
    """Move the batch's timestamps into the past (the session's cookie stays valid)."""
    batch_id = int(path.rsplit("/", 1)[1])
    db.session.execute(update(LetterBatch).where(LetterBatch.id == batch_id).values(**values))
    db.session.commit()


@pytest.fixture
def held(monkeypatch):
    """The worker never gets the batch: the test runs it itself (letter_batch.run)."""
    jobs = []
    monkeypatch.setattr(letter_archive, "in_background", lambda key, *job: jobs.append(job))
    return jobs


def test_register_offers_batch_print_to_a_manager_only(world, client, auth, factory):
    letter = factory.referral(world["case"], "approved", "service").letter
    auth.login("manajer")
    page = client.get("/letters").text
    assert 'id="batch-print"' in page and f'name="ids" value="{letter.id}"' in page
    assert "Cetak semua hasil pencarian ini" in page
    assert 'target="_blank"' not in page.split('id="batch-print"')[1].split(">")[0]
    auth.logout()
    auth.login("pekerja")
    page = client.get("/letters").text
    assert "batch-print" not in page and 'name="ids"' not in page
    assert client.post("/letters/print", data={"ids": [letter.id]}).status_code == 403
    assert db.session.scalars(select(LetterBatch)).all() == []


def test_the_whole_flow_ends_in_one_pdf_in_order_audited_when_downloaded(
    world, client, auth, factory
):
    first = factory.referral(world["case"], "approved", "service").letter
    second = factory.referral(world["case2"], "approved", "placement").letter
    numbers = [first.number, second.number]
    ids = [second.id, first.id]  # the register's order (newest first) is kept
    auth.login("manajer")
    path = start(client, ids=ids)
    page = client.get(path)  # inline (tests): done before the redirect is followed
    assert page.status_code == 200
    assert "2 surat siap dalam satu PDF." in page.text
    assert 'max="2" value="2"' in page.text and "every 1s" not in page.text
    assert '<meta http-equiv="refresh"' not in page.text
    assert batch_audits() == []  # nothing printed yet
    answer = client.get(f"{path}.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert answer.headers["X-Letters-Printed"] == "2"
    pages = pdf_pages(answer.data)
    assert len(pages) == 2
    assert numbers[1] in pages[0] and numbers[0] in pages[1]
    assert batch_audits() == sorted(ids)
    printed = AuditLog.action == "letter.print_batch"
    entry = db.session.scalars(
        select(AuditLog).where(printed, AuditLog.object_id == first.id)
    ).one()
    assert entry.user_id == world["manager"].id and entry.case_id == world["case"].id
    assert entry.details["number"] == numbers[0] and entry.details["batch"] == 2
    client.get(f"{path}.pdf")  # printed again: audited again
    assert batch_audits() == sorted(ids * 2)


def test_progress_while_it_works_polls_and_refreshes_without_javascript(
    world, client, auth, factory, held
):
    letters = [factory.referral(world["case"], "approved", "service").letter for _ in range(2)]
    auth.login("manajer")
    path = start(client, ids=[letter.id for letter in letters])
    page = client.get(path).text
    assert "Menyiapkan 0 dari 2 surat…" in page
    assert '<progress aria-labelledby="batch-progress-text" max="2" value="0">' in page
    assert f'hx-get="{path}" hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert f'<a href="{path}">Muat ulang</a>' in page  # a plain link as well
    fragment = client.get(path, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="batch-progress"')
    assert "<html" not in fragment.text and "every 1s" in fragment.text
    assert "Vary" in fragment.headers and "HX-Request" in fragment.headers["Vary"]

    with client.application.app_context():
        (run, batch_id, attempt) = held.pop()
        run(batch_id, attempt)
    fragment = client.get(path, headers={"HX-Request": "true"}).text
    assert "2 surat siap dalam satu PDF." in fragment
    assert "hx-trigger" not in fragment  # the polling stops
    assert f'href="{path}.pdf"' in fragment and "Buka PDF" in fragment


def test_progress_is_committed_letter_by_letter(world, client, auth, factory, held, monkeypatch):
    letters = [factory.referral(world["case"], "approved", "service").letter for _ in range(3)]
    auth.login("manajer")
    path = start(client, ids=[letter.id for letter in letters])
    seen = []
    real = letter_batch._letter_pdf

    def watched(user, letter_id):
        with client.application.app_context():  # another session, as the polling request
            row = db.session.get(LetterBatch, batch_row(path).id)
            seen.append((row.status, row.done))
            db.session.remove()
        return real(user, letter_id)

    monkeypatch.setattr(letter_batch, "_letter_pdf", watched)
    with client.application.app_context():
        letter_batch.run(*held.pop()[1:])
    assert seen == [("running", 0), ("running", 1), ("running", 2)]
    assert batch_row(path).status == "done" and batch_row(path).done == 3


def test_the_background_worker_joins_them(database_uri, world, factory):
    """As in production: the POST answers, the batch's thread does the work."""
    letter = factory.referral(world["case"], "approved", "service", archive=False).letter
    archived = factory.referral(world["case2"], "approved", "service").letter
    numbers, ids = [letter.number, archived.number], [letter.id, archived.id]
    db.session.rollback()  # the test's transaction must not hold SQLite's write lock
    app = make_app(database_uri, LETTER_RENDER="background")
    client = app.test_client()
    with app.app_context():
        login = client.post("/login", data={"username": "manajer", "password": PASSWORD})
        assert login.status_code == 302, login.text
        path = start(client, ids=ids)
        letter_archive.wait_idle(app)
        assert app.extensions["letter_batch"]["thread"].name == "letter-batch"
        page = client.get(path).text
        assert "2 surat siap dalam satu PDF." in page
        pages = pdf_pages(client.get(f"{path}.pdf").data)
        db.session.remove()
    assert len(pages) == 2
    assert numbers[0] in pages[0] and numbers[1] in pages[1]
    db.session.expire_all()
    assert db.session.get(Letter, ids[0]).pdf_sha256 != ""  # archived on the way


def test_only_the_manager_who_made_it_sees_it(world, client, auth, factory):
    letter = factory.referral(world["case"], "approved", "service").letter
    colleague = factory.user(world["office"], "manager", "manajer_lain")
    auth.login("manajer")
    path = start(client, ids=[letter.id])
    auth.logout()
    for username, status in (
        (colleague.username, 404),
        ("bpp_manajer", 404),
        ("pekerja", 403),
        ("admin", 403),
    ):
        auth.login(username)
        assert client.get(path).status_code == status, username
        assert client.get(f"{path}.pdf").status_code == status, username
        assert client.post(f"{path}/retry").status_code == status, username
        auth.logout()
    assert client.get(path).status_code == 302  # not logged in: to the login page
    assert batch_audits() == []


def test_a_social_worker_cannot_batch(world, client, auth, factory):
    letter = factory.referral(world["case"], "approved", "service").letter
    auth.login("pekerja")
    answer = client.post("/letters/print", data={"ids": [letter.id]})
    assert answer.status_code == 403
    assert db.session.scalars(select(LetterBatch)).all() == []


def test_left_out_letters_are_reported(world, client, auth, factory):
    kept = factory.referral(world["case"], "approved", "service").letter
    foreign = factory.referral(world["other_case"], "approved", "service").letter
    purged = factory.referral(world["case2"], "approved", "service").letter
    auth.login("manajer")
    path = start(client, ids=[kept.id, foreign.id, purged.id])
    assert batch_row(path).total == 2  # the other office's letter is out from the start
    # the archive schedule removed one letter's PDF before the worker reached it: rerun
    db.session.execute(update(Letter).where(Letter.id == purged.id).values(pdf=None))
    db.session.execute(
        update(LetterBatch).values(status="queued", done=0, printed_ids=[], left_out={"hidden": 1})
    )
    db.session.commit()
    with client.application.app_context():
        letter_batch.run(batch_row(path).id, 1)
    page = client.get(path).text
    assert "1 surat siap dalam satu PDF." in page
    assert "2 surat tidak ikut dicetak" in page
    assert "1 surat tidak dapat Anda akses" in page
    assert "1 surat sudah dimusnahkan arsip PDF-nya sesuai jadwal retensi" in page
    answer = client.get(f"{path}.pdf")
    assert answer.headers["X-Letters-Left-Out"] == "2"
    pages = pdf_pages(answer.data)
    assert len(pages) == 1 and kept.number in pages[0]
    assert batch_audits() == [kept.id]


def test_all_finds_of_the_filter(world, client, auth, factory):
    wanted = factory.referral(world["case"], "approved", "service").letter
    factory.referral(world["case2"], "approved", "service")
    auth.login("manajer")
    path = start(client, scope="filter", q=world["case"].number)
    answer = client.get(f"{path}.pdf")
    assert answer.status_code == 200 and answer.headers["X-Letters-Printed"] == "1"
    assert wanted.number in pdf_pages(answer.data)[0]
    assert batch_audits() == [wanted.id]


def test_nothing_chosen_or_too_many_is_refused_and_nothing_audited(world, client, auth, factory):
    factory.referral(world["case"], "approved", "service")
    auth.login("manajer")
    answer = client.post("/letters/print", data={"ids": []}, follow_redirects=True)
    assert "Pilih dulu surat yang akan dicetak." in answer.text
    many = list(range(1, BATCH_MAX + 2))
    answer = client.post("/letters/print", data={"ids": many}, follow_redirects=True)
    assert f"Paling banyak {BATCH_MAX} surat sekali cetak" in answer.text
    foreign = factory.referral(world["other_case"], "approved", "service").letter
    answer = client.post("/letters/print", data={"ids": [foreign.id]}, follow_redirects=True)
    assert "Tidak ada surat yang dapat Anda cetak di antara yang dipilih." in answer.text
    assert batch_audits() == []
    assert db.session.scalars(select(LetterBatch)).all() == []


def test_an_unarchived_letter_is_archived_when_printed(world, client, auth, factory):
    letter_id = factory.referral(world["case"], "approved", "service", archive=False).letter.id
    auth.login("manajer")
    path = start(client, ids=[letter_id])
    db.session.expire_all()
    stored = db.session.get(Letter, letter_id)
    assert stored.pdf_sha256 != ""
    answer = client.get(f"{path}.pdf")
    assert len(pdf_pages(answer.data)) == 1 and stored.number in pdf_pages(answer.data)[0]


def test_a_stalled_batch_says_so_and_runs_again(world, client, auth, factory, held):
    letter = factory.referral(world["case"], "approved", "service").letter
    auth.login("manajer")
    path = start(client, ids=[letter.id])
    first_run = held.pop()
    backdate(path, updated_at=utcnow() - letter_batch.STALE - timedelta(seconds=5))
    page = client.get(path).text
    assert "Pencetakan terhenti (0 dari 1 surat)" in page
    assert "every 1s" not in page and "Coba lagi" in page
    assert client.post(f"{path}/retry").status_code == 303
    assert "Menyiapkan 0 dari 1 surat…" in client.get(path).text
    assert batch_row(path).attempt == 2
    with client.application.app_context():
        first_run[0](*first_run[1:])  # the old attempt wakes up: it stops at once
        assert batch_row(path).status == "queued"
        run, batch_id, attempt = held.pop()
        run(batch_id, attempt)
    assert "1 surat siap dalam satu PDF." in client.get(path).text
    answer = client.post(f"{path}/retry", follow_redirects=True)
    assert "Pencetakan ini tidak perlu diulang." in answer.text


def test_a_failed_batch_offers_to_try_again(world, client, auth, factory, monkeypatch):
    letter_id = factory.referral(world["case"], "approved", "service", archive=False).letter.id

    def broken(letter):
        raise RuntimeError("WeasyPrint died")

    monkeypatch.setattr(letter_service, "render_letter", broken)
    auth.login("manajer")
    path = start(client, ids=[letter_id])
    page = client.get(path).text
    assert "Pencetakan gagal (0 dari 1 surat)." in page and "Coba lagi" in page
    assert client.get(f"{path}.pdf").status_code == 404
    monkeypatch.undo()
    client.post(f"{path}/retry")
    assert "1 surat siap dalam satu PDF." in client.get(path).text


def test_batches_older_than_a_day_are_deleted(world, client, auth, factory, runner):
    letter = factory.referral(world["case"], "approved", "service").letter
    auth.login("manajer")
    old = start(client, ids=[letter.id])
    backdate(old, created_at=utcnow() - letter_batch.KEEP - timedelta(minutes=1))
    assert client.get(old).status_code == 404  # past its day, even before it is deleted
    assert client.get(f"{old}.pdf").status_code == 404
    new = start(client, ids=[letter.id])  # the next batch deletes it
    assert new != old  # a deleted batch's id is not given again
    assert batch_row(old) is None and batch_row(new) is not None
    assert "0 old batch prints removed." in runner.invoke(args=["purge-letter-archive"]).output
    backdate(new, created_at=utcnow() - letter_batch.KEEP - timedelta(minutes=1))
    assert "1 old batch prints removed." in runner.invoke(args=["purge-letter-archive"]).output
    assert db.session.scalars(select(LetterBatch)).all() == []


def test_the_post_needs_the_csrf_token(csrf_app, world, factory):
    letter = factory.referral(world["case"], "approved", "service").letter
    client = csrf_app.test_client()
    token = token_from(client.get("/login").text)
    client.post("/login", data={"username": "manajer", "password": PASSWORD, "csrf_token": token})
    token = token_from(client.get("/letters").text)
    assert client.post("/letters/print", data={"ids": [letter.id]}).status_code == 400
    assert db.session.scalars(select(LetterBatch)).all() == []
    answer = client.post("/letters/print", data={"ids": [letter.id], "csrf_token": token})
    assert answer.status_code == 303
    path = answer.headers["Location"]
    assert client.post(f"{path}/retry").status_code == 400  # the retry too
    page = client.get(path).text
    assert "1 surat siap dalam satu PDF." in page


def test_a_cancelled_letter_is_left_out_and_said_so(world, client, auth, factory):
    kept = factory.referral(world["case"], "approved", "service").letter
    voided = factory.referral(world["case2"], "approved", "service").letter
    letter_service.void(voided, world["manager"], "Salah alamat")
    db.session.commit()
    auth.login("manajer")
    for data in ({"ids": [kept.id, voided.id]}, {"scope": "filter"}):
        path = start(client, **data)
        page = client.get(path).text
        assert "1 surat siap dalam satu PDF." in page
        assert "1 surat tidak ikut dicetak" in page
        assert "1 surat sudah dibatalkan" in page
        answer = client.get(f"{path}.pdf")
        pages = pdf_pages(answer.data)
        assert len(pages) == 1 and kept.number in pages[0]
        assert voided.number not in pages[0]
    assert batch_audits() == [kept.id, kept.id]


def test_a_letter_cancelled_while_the_batch_waits_is_left_out(world, client, auth, factory, held):
    kept = factory.referral(world["case"], "approved", "service").letter
    voided = factory.referral(world["case2"], "approved", "service").letter
    auth.login("manajer")
    path = start(client, ids=[kept.id, voided.id])
    letter_service.void(db.session.get(Letter, voided.id), world["manager"], "Salah alamat")
    db.session.commit()
    with client.application.app_context():
        letter_batch.run(*held[0][1:])
    page = client.get(path).text
    assert "1 surat siap dalam satu PDF." in page and "1 surat sudah dibatalkan" in page
    pages = pdf_pages(client.get(f"{path}.pdf").data)
    assert len(pages) == 1 and kept.number in pages[0]


def test_progress_in_english_counts_letters_in_the_singular_and_plural(
    world, client, auth, factory, held
):
    """QA: "Preparing 0 of 1 letters…"."""
    one = factory.referral(world["case"], "approved", "service").letter
    two = factory.referral(world["case2"], "approved", "service").letter
    auth.login("manajer")
    client.post("/account/language", data={"lang": "en"})
    assert "Preparing 0 of 1 letter…" in client.get(start(client, ids=[one.id])).text
    assert "Preparing 0 of 2 letters…" in client.get(start(client, ids=[one.id, two.id])).text
    client.post("/account/language", data={"lang": "id"})
    assert "Menyiapkan 0 dari 1 surat…" in client.get(start(client, ids=[one.id])).text
