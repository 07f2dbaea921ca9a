"""Retention (UU PDP: data is deleted or anonymised when its period ends): the closed cases
past the office's retention period (`Office.retention_years` after closure), and anonymising
one of them, asked for by one manager and approved by another (AnonymisationRequest).

Anonymising removes what names the person or can name him (names, NIK/KK, contact data,
description, photos and attachments, free text on the case, its timeline, referrals, aid,
follow-ups and closure, the search index) and keeps what the reports count (the case row, its
category, dates, status, kecamatan, tallies, amounts), and the letters' register entries and
hashes. A letter's archived PDF is removed once it is `Office.letter_archive_years` old (the
archive schedule); until then it stays, and `purge_letter_archive` removes it when it is due.

A person with another case not yet anonymised keeps his identity (that case still needs it):
only what belongs to the expired case is removed. When his last case is anonymised, the person
goes too: his record, the records merged into him, his KK history, photos and attachments,
identifications, the merge records' values, and the names in the audit entries about him.

What is cleared is a registry (CASE_SCRUBS, PERSON_SCRUBS, PERSON_FORGETS): a new table that
can hold a person's data is added with one line (tests/test_retention.py fails while one is
missing, unless data_subject.NO_CLIENT_DATA says it holds nobody's)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import ngettext
from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Aid,
    AnonymisationRequest,
    Attachment,
    AuditLog,
    Case,
    CaseClosure,
    CaseEvent,
    CaseSearchTerm,
    FollowUp,
    Letter,
    Office,
    Person,
    PersonGuardian,
    PersonIdentification,
    PersonKkHistory,
    PersonMerge,
    PersonRegistry,
    ProcessingBasis,
    Referral,
    RegistryCheck,
)
from ..models._base import utcnow
from . import access, attachments, audit, labels, registry_import, search
from .errors import Conflict, NotPermitted, Refused
from .i18n import lazy as _l
from .retention_recent import RECENT_DAYS, recently_anonymised  # noqa: F401 (the route reads RECENT_DAYS here)
from .timeutil import day_start_utc

PER_PAGE = 25


@dataclass(frozen=True)
class Scrub:
    """One table's part: the rows whose `key` column is the case's (or person's) id (and that
    `where()` admits, when given) get `clear` (column -> value), their JSON columns `redact`
    stripped of text, or are deleted."""

    model: type
    key: str
    clear: dict = field(default_factory=dict)
    redact: tuple[str, ...] = ()
    delete: bool = False
    where: Callable[[], object] | None = None


_REFERRAL_TEXT = (
    "escort", "transport", "notes", "medical_doctor", "medical_facility", "observations",
    "diagnosis", "insurance_number", "family_reason", "family_contact", "programme", "purpose",
    "decision_comment", "handover_place", "receiver_name", "receiver_position", "handover_note",
    "witness1_name", "witness1_position", "witness2_name", "witness2_position", "cancel_reason",
)  # fmt: skip

CASE_SCRUBS: list[Scrub] = [
    Scrub(Case, "id", dict.fromkeys(
        ("reporter_name", "reporter_phone", "place", "summary", "event_place"), "")),
    Scrub(CaseEvent, "case_id", {"body": ""}, redact=("data",)),
    Scrub(Referral, "case_id", dict.fromkeys(_REFERRAL_TEXT, "")),
    Scrub(FollowUp, "case_id", dict.fromkeys(("purpose", "findings", "next_step", "reason"), "")),
    Scrub(Aid, "case_id", {"note": "", "given_by": ""}),
    Scrub(CaseClosure, "case_id", dict.fromkeys(
        ("summary", "decision_comment", "reopen_reason"), "")),
    Scrub(PersonIdentification, "case_id",
          {"note": "", "previous_label": "", "previous_values": None}),
    # the register entry, number and hash stay; what it says of the person goes (a surat
    # jalan's recipient is the traveller); the PDF per the archive schedule (purge_letter_archive)
    Scrub(Letter, "case_id", {"recipient": "", "void_reason": ""}),
    Scrub(ProcessingBasis, "case_id", {"purpose": "", "note": "", "guardian_id": None}),
    Scrub(CaseSearchTerm, "case_id", delete=True),  # rebuilt from what is left
    # the documents added on the case, bytes, thumbnail, name and all; the person's papers
    # (KTP, KK, photos) are his, shown on every case of his, and go with him (PERSON_SCRUBS)
    Scrub(Attachment, "case_id", delete=True, where=attachments.case_only),
]  # fmt: skip

PERSON_SCRUBS: list[Scrub] = [
    Scrub(Person, "id", {
        "full_name": "", "name_key": "", "nik": None, "kk_number": None, "phone": None,
        "street": "", "village_code": None, "birth_place": "", "birth_date": None,
        "physical_description": "", "found_place": "", "photo_id": None,
    }),
    Scrub(PersonKkHistory, "person_id", delete=True),
    Scrub(PersonRegistry, "person_id", delete=True),
    Scrub(PersonGuardian, "person_id", delete=True),
    Scrub(RegistryCheck, "person_id", delete=True),
    Scrub(Attachment, "person_id", delete=True),
    Scrub(PersonIdentification, "person_id",
          {"note": "", "previous_label": "", "previous_values": None}),
    Scrub(PersonMerge, "kept_person_id", {"kept_values": {}, "merged_values": {}}),
    Scrub(PersonMerge, "merged_person_id", {"kept_values": {}, "merged_values": {}}),
]  # fmt: skip

# Tables whose rows name a person by a value inside them (a JSON list, a NIK) rather than by a
# key column: each has a function (office_id, person ids, NIKs) that removes him from them.
PERSON_FORGETS = {
    "registry_import": registry_import.forget,  # a SIKS-NG file's preview: his rows
}

# Tables with a person_id or case_id column that anonymising leaves as they are, and why.
KEPT = {
    "anonymisation_request": "who asked and who approved: no personal data",
    "audit_log": "append-only; names in `details` scrubbed by audit.scrub_details",
    "letter_batch": "archived letters joined (kept as they are), deleted a day after the batch",
}


# --- the period ---------------------------------------------------------------------------------


def cutoff(office: Office, today: date) -> datetime:
    """Cases closed before this moment (UTC) are past the office's retention period."""
    years = office.retention_years
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day_start_utc(day, office.timezone)


def expired_query(office: Office, today: date):
    return (
        select(Case)
        .where(
            Case.office_id == office.id,
            Case.status == "closed",
            Case.anonymised_at.is_(None),
            Case.closed_at < cutoff(office, today),
        )
        .order_by(Case.closed_at, Case.id)
        .options(joinedload(Case.ppks), joinedload(Case.local_type))
    )


@dataclass
class RetentionPage:
    cases: object  # a db.paginate() page of Case
    requests: dict[int, AnonymisationRequest]  # case id -> the request waiting
    reasons: dict[int, str]  # request id -> the requester's reason (kept in the audit entry)
    recent: list[AnonymisationRequest]  # approved (so carried out) in the last RECENT_DAYS


def retention_page(office: Office, today: date, page: int) -> RetentionPage:
    cases = db.paginate(expired_query(office, today), page=page, per_page=PER_PAGE, error_out=False)
    ids = [case.id for case in cases.items]
    waiting = db.session.scalars(
        select(AnonymisationRequest)
        .where(
            AnonymisationRequest.case_id.in_(ids or [0]), AnonymisationRequest.status == "requested"
        )
        .options(joinedload(AnonymisationRequest.requested_by))
    )
    requests = {item.case_id: item for item in waiting}
    recent = recently_anonymised(office, today)
    return RetentionPage(cases, requests, _reasons(list(requests.values())), recent)


def _reasons(items: list[AnonymisationRequest]) -> dict[int, str]:
    """Why each request was made, for the manager who decides (from its audit entry)."""
    entries = db.session.scalars(
        select(AuditLog).where(
            AuditLog.action == "case.anonymise_request",
            AuditLog.case_id.in_([item.case_id for item in items] or [0]),
        )
    )
    wanted = {item.id for item in items}
    return {
        entry.details["request_id"]: entry.details.get("reason", "")
        for entry in entries
        if (entry.details or {}).get("request_id") in wanted
    }


def check_expired(case: Case, office: Office, today: date) -> None:
    if case.anonymised_at is not None:
        raise Refused(str(_l("Kasus ini sudah dianonimkan.")))
    if case.status != "closed":
        raise Refused(str(_l("Kasus yang masih terbuka tidak dapat dianonimkan.")))
    if case.closed_at is None or case.closed_at >= cutoff(office, today):
        raise Refused(ngettext(
            "Masa retensi kasus ini (%(num)d tahun setelah ditutup) belum lewat.",
            "Masa retensi kasus ini (%(num)d tahun setelah ditutup) belum lewat.",
            office.retention_years,
        ))  # fmt: skip


# --- request and approval -----------------------------------------------------------------------


REASON_MAX = 500


def _reason(text: str | None, message) -> str:
    """A reason written (kept in the audit entry; anonymising the case scrubs it there too)."""
    reason = (text or "").strip()
    if not reason:
        raise Refused(str(message), "reason")
    if len(reason) > REASON_MAX:
        raise Refused(str(_l("Alasan paling panjang %(n)d karakter.", n=REASON_MAX)), "reason")
    return reason


def request(user, case: Case, today: date, reason: str = "", ip: str = "") -> AnonymisationRequest:
    """A manager asks, with a reason, for the case to be anonymised; another manager approves."""
    if not access.manages_office(user, case.office_id):
        raise NotPermitted("")
    check_expired(case, user.office, today)
    reason = _reason(reason, _l("Tulis alasan permintaan anonimisasi."))
    if _waiting(case) is not None:
        raise Refused(str(_l("Anonimisasi kasus ini sudah diminta.")))
    item = AnonymisationRequest(office_id=case.office_id, case_id=case.id, requested_by_id=user.id)
    db.session.add(item)
    db.session.flush()
    _audit("case.anonymise_request", user, case, ip, item, reason=reason)
    return item


def _waiting(case: Case) -> AnonymisationRequest | None:
    return db.session.scalar(
        select(AnonymisationRequest).where(
            AnonymisationRequest.case_id == case.id, AnonymisationRequest.status == "requested"
        )
    )


def decide(user, item: AnonymisationRequest, action: str, confirm: str, today, ip: str = "",
           reason: str = ""):  # fmt: skip
    """Approve (the case number typed again: the step cannot be undone) or reject (with a
    reason)."""
    if not access.can_decide_anonymisation(user, item):
        raise NotPermitted(str(_l("Anonimisasi disetujui oleh manajer lain, bukan peminta.")))
    case = item.case
    if action == "reject":
        reason = _reason(reason, _l("Tulis alasan penolakan."))
        _settle(item, "rejected", user)
        _audit("case.anonymise_reject", user, case, ip, item, reason=reason)
        return
    if (confirm or "").strip().upper() != case.number.upper():
        raise Refused(
            str(_l("Ketik nomor kasus %(n)s untuk menyetujui.", n=case.number)), "confirm"
        )
    check_expired(case, user.office, today)
    _settle(item, "approved", user)
    person_gone = anonymise(case, today)
    _audit("case.anonymise", user, case, ip, item, person_anonymised=person_gone)


def _settle(item: AnonymisationRequest, status: str, user) -> None:
    """Decided once: of two managers deciding at the same moment, the second is told."""
    won = db.session.execute(
        update(AnonymisationRequest)
        .where(AnonymisationRequest.id == item.id, AnonymisationRequest.status == "requested")
        .values(status=status, decided_by_id=user.id, decided_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if won.rowcount != 1:
        raise Conflict(str(_l("Permintaan ini sudah diputuskan manajer lain.")))


def _audit(action: str, user, case: Case, ip: str, item, **details) -> None:
    """Entries without the name: the case id and number, the request and who decided."""
    audit.record(
        action, user=user, ip=ip, object_type="case", object_id=case.id, case_id=case.id,
        details={"number": case.number, "request_id": item.id, **details},
    )  # fmt: skip


# --- anonymising --------------------------------------------------------------------------------


def _apply(scrubs: list[Scrub], ids: list[int]) -> None:
    for scrub in scrubs:
        column = getattr(scrub.model, scrub.key)
        rows = column.in_(ids) if scrub.where is None else and_(column.in_(ids), scrub.where())
        if scrub.delete:
            db.session.execute(delete(scrub.model).where(rows))
            continue
        if scrub.clear:
            db.session.execute(update(scrub.model).where(rows).values(**scrub.clear))
        for name in scrub.redact:
            _redact(scrub.model, rows, name)


# A timeline entry's data keeps what names nobody, so its line still reads "Kasus ditutup -
# Kembali ke keluarga, 3 Januari 2020" rather than "[anonim], [anonim]": codes of these lists,
# dates under these keys, and letter numbers (their register entries stay anyway).
EVENT_CODES = {
    "reason": labels.CLOSURE_REASONS, "referral_kind": labels.REFERRAL_KINDS,
    "followup_kind": labels.FOLLOWUP_KINDS, "aid_kind": labels.AID_KINDS,
    "doc_type": labels.DOC_TYPES, "basis": labels.PROCESSING_BASES,
    "consent_by": labels.CONSENT_BY, "role": labels.GUARDIAN_ROLES,
    "relation": labels.GUARDIAN_RELATIONS, "method": labels.IDENTIFICATION_METHODS,
}  # fmt: skip
EVENT_DATES = {"closed_on", "due_date", "outcome_date", "given_on", "identified_on"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _names_nobody(key: str, value: str) -> bool:
    if key in EVENT_CODES:
        return value in EVENT_CODES[key]
    if key in EVENT_DATES:
        return _ISO_DATE.fullmatch(value) is not None
    return key == "letter_number"


def _redact(model, rows, name: str) -> None:
    attr = getattr(model, name)
    for row_id, value in db.session.execute(select(model.id, attr).where(rows)).all():
        kept = audit.redacted(value, keep=_names_nobody) if value is not None else None
        if kept != value:
            db.session.execute(update(model).where(model.id == row_id).values({name: kept}))


def anonymise(case: Case, today: date) -> bool:
    """Remove what names the person from this case, and the person himself when no other case
    of his is left un-anonymised. True when the person was anonymised too."""
    from .people import absorbed_ids, trail_query

    now = utcnow()
    person = case.person
    _apply(CASE_SCRUBS, [case.id])
    case.anonymised_at = now
    others = [c for c in person.cases if c.id != case.id and c.anonymised_at is None]
    trail = select(AuditLog.id).where(AuditLog.case_id == case.id)
    if not others:
        ids = [person.id, *absorbed_ids(person)]
        trail = trail_query(person).with_only_columns(AuditLog.id)
        niks = list(db.session.scalars(select(Person.nik).where(Person.id.in_(ids))))
        for forget in PERSON_FORGETS.values():
            forget(case.office_id, ids, niks)
        _apply(PERSON_SCRUBS, ids)
        db.session.execute(update(Person).where(Person.id.in_(ids)).values(anonymised_at=now))
    audit.scrub_details(trail)
    db.session.flush()
    db.session.expire_all()
    for each in [case.id] if others else [c.id for c in db.session.get(Case, case.id).person.cases]:
        search.index_case(db.session.get(Case, each))  # his name leaves the index with him
    purge_letter_archive(db.session.get(Office, case.office_id), today)
    return not others


def purge_letter_archive(office: Office, today: date) -> int:
    """Remove the archived PDF bytes of anonymised cases' letters older than the office's
    archive schedule (`letter_archive_years`); number, register entry and SHA-256 stay."""
    years = office.letter_archive_years
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:
        limit = today.replace(year=today.year - years, day=28)
    anonymised = select(Case.id).where(Case.office_id == office.id, Case.anonymised_at.is_not(None))
    result = db.session.execute(
        update(Letter)
        .where(
            Letter.case_id.in_(anonymised),
            Letter.issued_on <= limit,
            Letter.pdf.is_not(None),
        )
        .values(pdf=None)
    )
    return result.rowcount or 0
