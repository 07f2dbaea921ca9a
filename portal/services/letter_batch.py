"""Batch print: one PDF of the archived letters a manager ticked on the register (or of the
register's current filter), in the register's order, each letter's print in the audit log.

At most BATCH_MAX letters: the PDFs are archived already, so joining 50 of them takes well under
a second in the one request (a letter still unarchived is rendered first, as a download does)."""

from __future__ import annotations

import io

from ..extensions import db
from ..models import Letter
from . import access, audit, letter_archive, letters
from .errors import NotFound, NotPermitted, Refused
from .i18n import lazy as _l

BATCH_MAX = 50


def ids_of_filter(user, **filters) -> list[int]:
    """The letters of the register as filtered (at most one more than BATCH_MAX: too many)."""
    query = letters.register_query(user, **filters).limit(BATCH_MAX + 1)
    return [letter.id for letter in db.session.scalars(query).unique()]


def printable(user, ids: list[int]) -> tuple[list[Letter], int]:
    """The chosen letters this user may download (access.letter_pdf_for decides, letter by
    letter: health-data letters only for those who may see them), numbered ones only; and how
    many of the chosen were left out."""
    chosen: list[Letter] = []
    for letter_id in dict.fromkeys(ids):
        try:
            letter = access.letter_pdf_for(user, letter_id)
        except (NotFound, NotPermitted):
            continue
        if letter.number is not None:
            chosen.append(letter)
    return chosen, len(set(ids)) - len(chosen)


def print_batch(user, ids: list[int], *, ip: str = "") -> tuple[bytes, int, int]:
    """The one PDF, how many letters it holds and how many of the chosen were left out."""
    from pypdf import PdfWriter

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
    writer = PdfWriter()
    for letter in chosen:
        letter_archive.refuse_purged(letter)
        if not letter.pdf:
            letters.archive(letter)  # its render was lost: archive it now, once
        writer.append(io.BytesIO(letter.pdf))
        audit.record(
            "letter.print_batch",
            user=user,
            ip=ip,
            object_type="letter",
            object_id=letter.id,
            case_id=letter.case_id,
            details={"number": letter.number, "sha256": letter.pdf_sha256, "batch": len(chosen)},
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(chosen), left_out
