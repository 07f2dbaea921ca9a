"""Documents on a person or a case: KTP, KK, the police statement, a Puskesmas/RS referral, an
examination result, the family's statement, a ticket, photos, other papers.

Files are kept in the database (`attachment.data`, deferred: lists never load it), so several
app servers share them and one backup holds everything; they are served only through
`access.document_for`, never from a public path, and every view and download is audited. What a
file is comes from its bytes (services.files). A person's papers (KTP, KK, photos) go with the
person to all their cases; the others stay on the case they were added on. The first photo of a
person is their face in lists and letters (`person.photo_id`).

A referral's letter carries the documents chosen on the referral form (`referral.
attachment_ids`), printed under "Lampiran" (`for_letter`, `lampiran_count`).

For the data-subject export and the anonymisation (issue 14, other parts): PERSON_ROWS names
the rows of a person here; `erase_person` removes them."""

from __future__ import annotations

import hashlib

from lokal import terbilang
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Attachment, Case, CaseEvent, Person, Referral, User
from ..models.people import DOC_TYPES, MEDICAL_DOC_TYPES, PERSON_DOC_TYPES
from . import access, audit, files, images, referral_kinds
from .errors import NotPermitted
from .i18n import lazy as _l
from .labels import MONTHS

THUMB_MIMETYPE = "image/jpeg"  # files.prepare keeps services.images.thumbnail's JPEG

MB = 1024 * 1024
# As printed in a letter's Lampiran (Indonesian whatever the reader's language)
LETTER_NAMES = {
    "ktp": "Fotokopi KTP",
    "kk": "Fotokopi Kartu Keluarga",
    "polisi": "Surat keterangan kepolisian",
    "rujukan_medis": "Surat rujukan Puskesmas/Rumah Sakit",
    "pemeriksaan": "Hasil pemeriksaan",
    "pernyataan": "Surat pernyataan keluarga",
    "tiket": "Tiket/bukti perjalanan",
    "foto": "Foto",
    "lainnya": "Dokumen",
}
# (model, column naming the person): every row of a person this module keeps
PERSON_ROWS = ((Attachment, "person_id"),)


class NoRoom(files.FileRefused):
    """The case's documents would pass the office's total for one case."""


# --- lists -------------------------------------------------------------------------------------


def _shared():
    """The person's papers (KTP, KK, photos not marked health data, and what was added at
    registration): shown on every case of the person, they belong to him, not to one case."""
    return and_(
        Attachment.sensitive.is_(False),
        or_(Attachment.doc_type.in_(PERSON_DOC_TYPES), Attachment.case_id.is_(None)),
    )


def case_only():
    """The documents that belong to the case they were added on (a police statement, a ticket,
    a health paper...): anonymising that case removes them, the person's papers stay with him."""
    return ~_shared()


def _visible(user: User, items, case: Case | None, person: Person) -> list[Attachment]:
    return [item for item in items if access.may_see_document(user, item, case, person)]


def for_case(user: User, case: Case) -> list[Attachment]:
    """The case's documents and the person's papers, oldest first, as this user may see them
    (one query; the files themselves are not loaded)."""
    person = case.person
    query = (
        select(Attachment)
        .where(
            Attachment.office_id == case.office_id,
            or_(
                Attachment.case_id == case.id,
                and_(Attachment.person_id == person.id, _shared()),
            ),
        )
        .options(joinedload(Attachment.uploaded_by))
        .order_by(Attachment.id)
    )
    return _visible(user, db.session.scalars(query), case, person)


def for_person(user: User, person: Person) -> list[Attachment]:
    """The person's papers (KTP, KK, photos) for the person's page."""
    query = (
        select(Attachment)
        .where(
            Attachment.person_id == person.id,
            _shared(),
        )
        .options(joinedload(Attachment.uploaded_by))
        .order_by(Attachment.id)
    )
    return _visible(user, db.session.scalars(query), None, person)


def case_total(case: Case) -> int:
    """The bytes stored on this case (the office's limit per case counts these)."""
    query = select(func.coalesce(func.sum(Attachment.size), 0)).where(Attachment.case_id == case.id)
    return int(db.session.scalar(query) or 0)


# --- adding ------------------------------------------------------------------------------------


def add(case: Case, user: User, values: dict, stream, filename: str, ip: str = "") -> Attachment:
    """Keep an uploaded document on the case (and its person): `values` has doc_type, doc_date,
    note, sensitive; `stream` is read up to the office's limit. FileRefused (field "file") for
    an empty, over-limit, unknown, broken or scripted file, or when the case is full."""
    if not access.can_add_document(user, case):
        raise NotPermitted(str(_l("Dokumen hanya dapat ditambahkan pada kasus terbuka Anda.")))
    office = user.office
    prepared = files.prepare(stream.read(office.attachment_max_mb * MB + 1), office.attachment_max_mb * MB)  # fmt: skip
    if case_total(case) + len(prepared.data) > office.case_attachments_max_mb * MB:
        raise NoRoom(
            _l(
                "Ruang berkas kasus ini (%(mb)d MB) tidak cukup untuk berkas ini.",
                mb=office.case_attachments_max_mb,
            )
        )
    doc_type = values["doc_type"] if values.get("doc_type") in DOC_TYPES else "lainnya"
    item = Attachment(
        office_id=case.office_id,
        person_id=case.person_id,
        case_id=case.id,
        kind="document",
        doc_type=doc_type,
        doc_date=values.get("doc_date"),
        note=(values.get("note") or "")[:500],
        sensitive=bool(values.get("sensitive")) or doc_type in MEDICAL_DOC_TYPES,
        pages=prepared.pages,
        filename=_basename(filename),
        mimetype=prepared.mimetype,
        size=len(prepared.data),
        sha256=hashlib.sha256(prepared.data).hexdigest(),
        data=prepared.data,
        thumbnail=prepared.thumbnail,
        uploaded_by_id=user.id,
    )
    db.session.add(item)
    db.session.flush()
    face = doc_type == "foto" and item.is_image and not item.sensitive
    if face and case.person.photo_id is None:
        case.person.photo_id = item.id  # the first photo is the face in lists and letters
    _log(case, user, item, ip)
    return item


def _basename(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200]


def _log(case: Case, user: User, item: Attachment, ip: str) -> None:
    """The timeline says a document was added (its type, unless it is health data), the audit
    log says which file."""
    data = {"attachment_id": item.id} if item.sensitive else {"doc_type": item.doc_type}
    db.session.add(CaseEvent(case_id=case.id, kind="document_added", actor_id=user.id, data=data))
    audit.record(
        "attachment.add",
        user=user,
        ip=ip,
        object_type="attachment",
        object_id=item.id,
        case_id=case.id,
        details={"doc_type": item.doc_type, "size": item.size, "sha256": item.sha256},
    )


# --- seeing ------------------------------------------------------------------------------------


def open_file(user: User, item: Attachment, how: str, ip: str = "") -> tuple[bytes, str]:
    """The bytes to send (`how`: "view", "download" or "thumb") and their type. A view or a
    download is audited at once, in a short transaction of its own (the page only reads); a
    thumbnail is not: it is shown only inside the case file or the person's page, whose view is
    audited already ("case.view", "person.view"), and one entry per thumbnail flooded the trail."""
    if how == "thumb" and item.thumbnail:
        return item.thumbnail, THUMB_MIMETYPE
    audit.record_now(
        "attachment.download" if how == "download" else "attachment.view",
        user=user,
        ip=ip,
        object_type="attachment",
        object_id=item.id,
        case_id=item.case_id,
        details={"doc_type": item.doc_type, "person_id": item.person_id},
    )
    return item.data, item.mimetype


def open_photo(user: User, person: Person, thumb: bool, ip: str = "") -> tuple[bytes, str] | None:
    """The person's face photo (None: no photo). The full picture is audited like any document
    opened on its own ("person.photo_view"); the thumbnail only shows inside pages whose view is
    audited already (the case file, the person's page, the unidentified people)."""
    if not person.photo_id or (item := db.session.get(Attachment, person.photo_id)) is None:
        return None
    if thumb:
        return images.thumbnail(item.data)
    audit.record_now(
        "person.photo_view",
        user=user,
        ip=ip,
        object_type="person",
        object_id=person.id,
        case_id=item.case_id,
        details={"attachment_id": item.id},
    )
    return item.data, item.mimetype


def download_name(item: Attachment, mimetype: str | None = None) -> str:
    """The file name for these bytes: a thumbnail is a JPEG whatever the original was."""
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(mimetype or item.mimetype, "jpg")
    return f"{item.doc_type}-{item.id}.{extension}"


# --- letters -----------------------------------------------------------------------------------


def letter_may_carry(kind: str, item: Attachment) -> bool:
    """May the letter of a referral of this kind carry this document?"""
    declaration = referral_kinds.KINDS[kind]
    if item.sensitive and declaration.letter not in access.SENSITIVE_LETTERS:
        return False
    return item.doc_type in declaration.letter_documents


def letter_choices(user: User, case: Case, kind: str) -> list[Attachment]:
    """The case's documents a referral's letter may carry, as this user may see them."""
    return [item for item in for_case(user, case) if letter_may_carry(kind, item)]


def letter_ids(user: User, referral: Referral, chosen: list[int]) -> list[int]:
    """What the referral's letter carries after `user` saved the form: the chosen documents
    that are choices, and those stored before that this user may not see (kept unchanged)."""
    choices = {item.id for item in letter_choices(user, referral.case, referral.kind)}
    hidden = [i for i in referral.attachment_ids or [] if i not in choices]
    return hidden + [i for i in dict.fromkeys(chosen) if i in choices]


def for_letter(referral: Referral | None) -> list[Attachment]:
    """The documents the referral's letter carries, in their order (gone ones left out)."""
    ids = list((referral.attachment_ids or []) if referral is not None else [])
    if not ids:
        return []
    found = db.session.scalars(select(Attachment).where(Attachment.id.in_(ids)))
    by_id = {
        item.id: item
        for item in found
        if item.case_id == referral.case_id and letter_may_carry(referral.kind, item)
    }
    return [by_id[i] for i in ids if i in by_id]


def letter_context(referral: Referral) -> dict:
    """What the referral's letter prints: "Lampiran: 2 (dua) berkas" and the list."""
    items = for_letter(referral)
    return {"lampiran_count": lampiran_count(items), "lampiran": [printed_name(d) for d in items]}


def lampiran_count(items: list) -> str:
    """ "2 (dua) berkas", or "-" for none."""
    return f"{len(items)} ({terbilang(len(items))}) berkas" if items else "-"


def printed_name(item: Attachment) -> str:
    """How the letter names a document: "Surat keterangan kepolisian tanggal 20 November
    2026"; an "other" paper by its note."""
    name = LETTER_NAMES.get(item.doc_type, "Dokumen")
    if item.doc_type == "lainnya" and item.note:
        name = item.note.splitlines()[0][:120]
    if item.pages and item.pages > 1:
        name += f" ({item.pages} halaman)"
    day = item.doc_date
    return f"{name} tanggal {day.day} {MONTHS[day.month - 1]} {day.year}" if day else name


# --- the person's rights (export, anonymisation) ------------------------------------------------


def erase_person(person: Person) -> int:
    """Remove every file of a person (photos and documents); the person's face goes too.
    Answers how many were removed. For the anonymisation (audited by its caller)."""
    person.photo_id = None
    db.session.flush()
    items = db.session.scalars(select(Attachment).where(Attachment.person_id == person.id)).all()
    for item in items:
        db.session.delete(item)
    return len(items)
