"""Batch print: one PDF of the archived letters a manager ticked on the register (or of the
register's current filter), in the register's order, with a progress indicator.

The POST only checks the choice and records a batch (LetterBatch: the letters, total, done,
status); the joining runs after the commit in a worker thread of the process
(letter_archive.in_background; at once with LETTER_RENDER = "inline", the tests), committing its
progress after each letter, so the manager's page shows "Menyiapkan 12 dari 40 surat…" while it
works. A letter still unarchived is rendered and archived first (0.1-0.2 s each), as a download
does; the others are only read and joined with pypdf.

Each letter's print is in the audit log (`letter.print_batch`) when the joined PDF is
downloaded: that is when it is printed. A batch is kept for a day (KEEP), then deleted on the
next batch and by `flask purge-letter-archive`. A batch whose process stopped makes no more
progress: after STALE its page says so and offers "Coba lagi" (retry: a new attempt; the old
one, should it still be running, stops at its next step)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta

from flask import g
from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import Letter, LetterBatch, User
from ..models._base import utcnow
from . import access, audit, letter_archive, letters, uow
from .errors import HealthData, NotFound, NotPermitted, Refused
from .i18n import lazy as _l

BATCH_MAX = 50
KEEP = timedelta(days=1)  # a batch's PDF, then it is deleted
STALE = timedelta(minutes=2)  # no progress for this long: its process stopped
WORKER = "letter_batch"  # letter_archive.WORKERS
WORKING = ("queued", "running")


def ids_of_filter(user, **filters) -> list[int]:
    """The letters of the register as filtered (at most one more than BATCH_MAX: too many)."""
    query = letters.register_query(user, **filters).limit(BATCH_MAX + 1)
    return [letter.id for letter in db.session.scalars(query).unique()]


def printable(user, ids: list[int]) -> tuple[list[int], dict[str, int]]:
    """The chosen letters this user may download (access.letter_pdf_for decides, letter by
    letter: health-data letters only for those who may see them), numbered ones only, in the
    order chosen; and how many of the others were left out, by reason (hidden, health,
    void: cancelled letters are never printed as if valid, unnumbered; the run adds purged:
    the page says each in words)."""
    chosen: list[int] = []
    left_out: Counter = Counter()
    for letter_id in dict.fromkeys(ids):
        try:
            letter = access.letter_pdf_for(user, letter_id, with_pdf=False)
        except HealthData:
            left_out["health"] += 1
        except (NotFound, NotPermitted):
            left_out["hidden"] += 1
        else:
            if letter.status == "void":
                left_out["void"] += 1
            elif letter.number is None:
                left_out["unnumbered"] += 1
            else:
                chosen.append(letter.id)
    return chosen, dict(left_out)


def start(user: User, ids: list[int], *, host_url: str = "") -> LetterBatch:
    """Record the batch and hand it to the worker once the request commits."""
    if not access.is_manager(user):
        raise NotPermitted(str(_l("Hanya manajer yang mencetak surat sekaligus.")))
    if not ids:
        raise Refused(str(_l("Pilih dulu surat yang akan dicetak.")))
    if len(set(ids)) > BATCH_MAX:
        raise Refused(
            str(
                _l(
                    "Paling banyak %(max)d surat sekali cetak: persempit pencarian atau pilih "
                    "lebih sedikit surat.",
                    max=BATCH_MAX,
                )
            )
        )
    chosen, left_out = printable(user, ids)
    if not chosen:
        raise Refused(str(_l("Tidak ada surat yang dapat Anda cetak di antara yang dipilih.")))
    delete_old()
    batch = LetterBatch(
        office_id=user.office_id,
        user_id=user.id,
        letter_ids=chosen,
        left_out=left_out,
        printed_ids=[],
        total=len(chosen),
        host_url=(host_url or "")[:200],
    )
    db.session.add(batch)
    db.session.flush()
    _schedule(batch.id, batch.attempt)
    return batch


def _schedule(batch_id: int, attempt: int) -> None:
    uow.after_commit(lambda: letter_archive.in_background(WORKER, run, batch_id, attempt))


def batch_for(user: User, batch_id: int) -> LetterBatch:
    """The batch, for the manager who made it only (access.owns_batch), while it is kept."""
    batch = db.session.get(LetterBatch, batch_id)
    if batch is None or not access.owns_batch(user, batch) or utcnow() - batch.created_at > KEEP:
        raise NotFound("")
    return batch


def state(batch: LetterBatch) -> str:
    """working, stale (its process stopped), failed, done, or empty (nothing could be printed)."""
    if batch.status in WORKING:
        return "stale" if utcnow() - batch.updated_at > STALE else "working"
    if batch.status == "done" and not batch.printed_ids:
        return "empty"
    return batch.status


def retry(user: User, batch: LetterBatch) -> None:
    """Run a stale or failed batch again, from its first letter, as a new attempt."""
    if state(batch) not in ("stale", "failed"):
        raise Refused(str(_l("Pencetakan ini tidak perlu diulang.")), field=None)
    batch.attempt += 1
    batch.status, batch.done, batch.updated_at = "queued", 0, utcnow()
    db.session.flush()
    _schedule(batch.id, batch.attempt)


def run(batch_id: int, attempt: int) -> None:
    """Join the batch's letters into one PDF, its progress committed after each letter. Stops
    when another attempt has taken the batch over (retry)."""
    from pypdf import PdfWriter

    batch = db.session.get(LetterBatch, batch_id)
    if batch is None or batch.attempt != attempt or batch.status not in WORKING:
        return
    user, ids, left_out = db.session.get(User, batch.user_id), batch.letter_ids, batch.left_out
    g.host_url = batch.host_url or None  # the QR code's address of a letter rendered now
    left, writer, printed = Counter(left_out), PdfWriter(), []
    try:
        if not _progress(batch_id, attempt, 0):
            return
        for count, letter_id in enumerate(ids, 1):
            pdf = _letter_pdf(user, letter_id)
            if isinstance(pdf, bytes):
                writer.append(io.BytesIO(pdf))
                printed.append(letter_id)
            else:
                left[pdf] += 1
            if not _progress(batch_id, attempt, count):
                return
        out = io.BytesIO()
        writer.write(out)
        _progress(
            batch_id,
            attempt,
            len(ids),
            status="done",
            pdf=out.getvalue() if printed else None,
            printed_ids=printed,
            left_out=dict(left),
        )
    except Exception:
        uow.rollback()
        _progress(batch_id, attempt, None, status="failed")
        raise


def _letter_pdf(user: User, letter_id: int) -> bytes | str:
    """The letter's archived bytes (rendered and archived now if its render was lost), or why
    it is left out. Read in a deferred transaction (on SQLite no write lock while reading)."""
    g.reads_only = True
    try:
        letter = access.letter_pdf_for(user, letter_id)
        if letter.status == "void":  # cancelled after the batch was chosen
            return "void"
        if letter.number is None:
            return "unnumbered"
        if letter.pdf_sha256 and letter.pdf is None:
            return "purged"  # removed by the archive schedule (letter_archive.refuse_purged)
        pdf = letter.pdf or letters.render_letter(letter)
        archived = bool(letter.pdf)
    except HealthData:
        return "health"
    except (NotFound, NotPermitted):
        return "hidden"
    finally:
        uow.rollback()
        g.reads_only = False
    if not archived:  # store it; another render may have been first: then its bytes
        letter_archive.store(letter_id, pdf)
        uow.commit()
        pdf = db.session.scalar(select(Letter.pdf).where(Letter.id == letter_id))
        uow.rollback()
    return pdf


def _progress(batch_id: int, attempt: int, done: int | None, **values) -> bool:
    """Commit how far the batch has come (and, at the end, its result); False when another
    attempt has taken it over."""
    if done is not None:
        values["done"] = done
    values.setdefault("status", "running")
    changed = db.session.execute(
        update(LetterBatch)
        .where(LetterBatch.id == batch_id, LetterBatch.attempt == attempt)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    uow.commit()
    return changed.rowcount == 1


def download(user: User, batch: LetterBatch, *, ip: str = "") -> bytes:
    """The joined PDF; each letter in it is written to the audit log as printed."""
    if state(batch) != "done":
        raise NotFound("")
    printed = db.session.scalars(select(Letter).where(Letter.id.in_(batch.printed_ids)))
    by_id = {letter.id: letter for letter in printed}
    for letter in (by_id[i] for i in batch.printed_ids if i in by_id):
        audit.record(
            "letter.print_batch",
            user=user,
            ip=ip,
            object_type="letter",
            object_id=letter.id,
            case_id=letter.case_id,
            details={
                "number": letter.number,
                "sha256": letter.pdf_sha256,
                "batch": len(batch.printed_ids),
                "batch_id": batch.id,
            },
        )
    return batch.pdf


def delete_old() -> int:
    """Delete the batches made more than KEEP ago (their PDFs with them)."""
    result = db.session.execute(delete(LetterBatch).where(LetterBatch.created_at < utcnow() - KEEP))
    return result.rowcount or 0
