"""Rendering issued letters into the archive without making anyone wait for it.

An approval (or an agenda number typed) commits the letter; rendering it takes WeasyPrint 0.1-0.2 s
of CPU, seconds under load. With LETTER_RENDER = "background" (production) the after-commit hook
only hands the letter's id to a small worker thread of this process, so the response goes out at
once; the pages show "Surat sedang disiapkan" until the PDF is archived. "inline" (the tests)
renders in the hook, before the response, as deterministic tests need.

Nothing is lost when the process dies with letters in its queue: a download renders a missing PDF
(letters.download), and `flask archive-letters` renders every one still missing. Two renders of one
letter store only the first one's bytes (store: a conditional UPDATE)."""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
from datetime import timedelta

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import select, update

from ..extensions import db
from ..models import Letter
from . import uow

log = logging.getLogger(__name__)
_EXTENSION = "letter_archive"
WORKERS = (_EXTENSION, "letter_batch")  # the app.extensions keys of the worker threads
_lock = threading.Lock()
OVERDUE = timedelta(minutes=2)


def downloadable(letter) -> bool:
    """Whether the pages offer the letter's download link: once it is archived, or when its
    background render is overdue (the process that had it stopped): the download renders it.
    Until then they say "Surat sedang disiapkan"."""
    from ..models._base import utcnow

    if letter.pdf_sha256:
        return True
    return letter.created_at is not None and utcnow() - letter.created_at > OVERDUE


def schedule(letter_id: int) -> None:
    """Archive the letter once the current transaction has committed (never if it rolls back)."""
    uow.after_commit(lambda: _after_commit(letter_id))


def _after_commit(letter_id: int) -> None:
    from .letters import archive_by_id

    if current_app.config.get("LETTER_RENDER", "background") != "background":
        archive_by_id(letter_id)
        return
    host_url = request.host_url if has_request_context() else None
    _worker(current_app._get_current_object()).put((render_and_store, (letter_id, host_url)))


def in_background(key: str, function, *args) -> None:
    """Run function(*args) in this process's worker thread `key` (one of WORKERS), in an app
    context of its own, after the response; at once with LETTER_RENDER = "inline" (the tests).
    The batch print (services.letter_batch) runs in a thread beside the archive's, so that a
    batch never delays the render of a letter just approved, nor the other way round."""
    if current_app.config.get("LETTER_RENDER", "background") != "background":
        function(*args)
        return
    _worker(current_app._get_current_object(), key).put((function, args))


def _worker(app: Flask, key: str = _EXTENSION) -> queue.Queue:
    """This process's queue, its thread started on first use: a Gunicorn worker forks after the
    app is created, and a thread does not survive a fork, so each process starts its own."""
    assert key in WORKERS, key
    with _lock:
        state = app.extensions.get(key)
        if state is None or state["pid"] != os.getpid() or not state["thread"].is_alive():
            jobs: queue.Queue = queue.Queue()
            name = key.replace("_", "-")
            thread = threading.Thread(target=_run, args=(app, jobs), name=name, daemon=True)
            state = {"pid": os.getpid(), "queue": jobs, "thread": thread}
            app.extensions[key] = state
            thread.start()
        return state["queue"]


def _run(app: Flask, jobs: queue.Queue) -> None:
    while True:
        function, args = jobs.get()
        try:
            with app.app_context():
                function(*args)
        except Exception:  # a letter stays unarchived (the download or the command renders it);
            log.exception("%s%r failed", function.__name__, args)  # a batch shows its failure
        finally:
            jobs.task_done()


def render_and_store(letter_id: int, host_url: str | None = None) -> bool:
    """Render one letter and store it, in transactions of this app context's own session. On
    SQLite the render reads in a deferred transaction (g.reads_only, as a GET request does) and
    only the short UPDATE takes the write lock: other requests never wait for the render."""
    from .letters import render_letter

    g.host_url = host_url
    g.reads_only = True
    try:
        letter = db.session.scalar(pending_query().where(Letter.id == letter_id))
        pdf = render_letter(letter) if letter is not None else None
    finally:
        uow.rollback()
        g.reads_only = False
    if pdf is None:
        return False
    try:
        stored = store(letter_id, pdf)
        uow.commit()
    except Exception:
        uow.rollback()
        raise
    finally:
        db.session.remove()
    return stored


def archive_missing(progress=None) -> int:
    """Render every issued letter not archived yet (`flask archive-letters`): those a process
    died before rendering. Each is committed on its own. Returns how many were stored."""
    ids = list(db.session.scalars(pending_query().with_only_columns(Letter.id).order_by(Letter.id)))
    uow.rollback()
    done = 0
    for count, letter_id in enumerate(ids, 1):
        done += render_and_store(letter_id)
        if progress:
            progress(count, len(ids))
    return done


def store(letter_id: int, pdf: bytes) -> bool:
    """Keep `pdf` as the letter's archive unless another render stored its bytes first: a
    conditional UPDATE (... WHERE pdf_sha256 = ''), which on PostgreSQL waits for the other's
    transaction and then finds the row archived. True when these bytes were stored."""
    stored = db.session.execute(
        update(Letter)
        .where(Letter.id == letter_id, Letter.pdf_sha256 == "")
        .values(pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest())
        .execution_options(synchronize_session=False)
    )
    return stored.rowcount == 1


def pending_query():
    """Issued letters (numbered) not archived yet."""
    return select(Letter).where(Letter.pdf_sha256 == "", Letter.number.is_not(None))


def wait_idle(app: Flask) -> None:
    """Until the workers have handled every job handed to them (tests, the benchmark)."""
    for key in WORKERS:
        if (state := app.extensions.get(key)) is not None:
            state["queue"].join()


def refuse_purged(letter: Letter) -> None:
    """An archived PDF removed by the archive schedule (services.retention) is not rendered
    again: the register entry and its SHA-256 remain, the document is gone."""
    from .errors import Refused
    from .i18n import lazy as _l

    if letter.pdf_sha256 and letter.pdf is None:
        raise Refused(str(_l(
            "Arsip PDF surat ini sudah dimusnahkan sesuai jadwal retensi arsip; "
            "nomor dan SHA-256-nya tetap tercatat."
        )))  # fmt: skip
