"""Referrals and their workflow. Every transition is a function here, checked and recorded.

draft -> submitted -> approved | rejected (reason) | returned (comment)
returned -> submitted;  approved -> completed (handover) | cancelled (reason)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..extensions import db
from ..models import Case, CaseEvent, Referral, User
from ..models._base import utcnow
from ..models.cases import urgency_rank
from . import (
    access,
    addressees,
    attachments,
    audit,
    consent,
    labels,
    letters,
    referral_kinds,
)
from .errors import Refused, StaleVersion
from .i18n import lazy as _l
from .timeutil import office_today
from .workflow import set_workflow_fields

EDITABLE = ("draft", "returned")
ACTIVE = ("draft", "submitted", "returned", "approved")
KIND_LABELS = labels.REFERRAL_KINDS
STATUS_LABELS = labels.REFERRAL_STATUSES
COMMON_FIELDS = (
    "organisation_id",
    "organisation_text",
    "planned_date",
    "escort",
    "transport",
    "notes",
    "attachment_ids",
)
# The fields each kind edits and what it needs before submitting: services/referral_kinds.py.
KIND_FIELDS = {code: kind.fields for code, kind in referral_kinds.KINDS.items()}


TransitionRefused = Refused  # the step is not allowed now, or not for this user


@dataclass
class Handover:
    handover_date: date
    handover_place: str
    receiver_name: str
    receiver_position: str
    receiver_institution: str
    handover_note: str = ""
    witness1_name: str = ""  # up to two witnesses (saksi), printed on the berita acara
    witness1_position: str = ""
    witness2_name: str = ""
    witness2_position: str = ""


def missing_for_submit(referral: Referral) -> list[tuple[str, str]]:
    """(field, label) of what is still missing; [] when the referral can be submitted.
    The field "receiver" is the organisation chosen from the list or typed."""
    missing = [
        (required.field, str(required.label))
        for required in referral_kinds.KINDS[referral.kind].required
        if required.applies(referral) and not _filled(referral, required.field)
    ]
    missing += addressees.placeholder_problems(referral)  # the letter names real posts
    return missing + consent.basis_problems(referral)  # data leaves with a recorded basis


def _filled(referral: Referral, name: str) -> bool:
    if name == referral_kinds.RECEIVER:
        return bool(referral.organisation_id or referral.organisation_text.strip())
    value = getattr(referral, name)
    return value is not None and (value.strip() != "" if isinstance(value, str) else True)


# who may do what: services.access
can_create = access.can_refer
can_decide = access.can_decide_referral
can_close = access.can_close_referral


def can_edit(user: User, referral: Referral) -> bool:
    return access.can_edit_referral(user, referral, EDITABLE)


def _record(referral: Referral, user: User, kind: str, ip: str, comment: str = "", **data) -> None:
    db.session.add(
        CaseEvent(
            case_id=referral.case_id,
            kind=kind,
            actor_id=user.id,
            body=comment,
            data={"referral_id": referral.id, "referral_kind": referral.kind, **data},
        )
    )
    audit.record(
        kind.replace("referral_", "referral."),
        user=user,
        ip=ip,
        object_type="referral",
        object_id=referral.id,
        case_id=referral.case_id,
        details={"status": referral.status, **data}
        if data or comment
        else {"status": referral.status},
    )


def create(case: Case, user: User, kind: str, values: dict, ip: str = "") -> Referral:
    if kind not in KIND_FIELDS:
        raise TransitionRefused(str(_l("Jenis rujukan tidak dikenal.")))
    if not can_create(user, case):
        raise TransitionRefused(
            str(_l("Rujukan hanya dapat dibuat untuk kasus terbuka yang Anda tangani."))
        )
    referral = Referral(
        office_id=case.office_id,
        case=case,
        kind=kind,
        created_by_id=user.id,
        urgency_rank=urgency_rank(case.urgency),  # the desk's order; services.cases keeps it
    )
    _assign(referral, user, values)
    db.session.add(referral)
    db.session.flush()
    _record(referral, user, "referral_created", ip)
    return referral


def _assign(referral: Referral, user: User, values: dict) -> dict:
    """Set the submitted values; health data only from a user who may see it (the others'
    forms do not show those fields, and what is stored stays unchanged)."""
    values = access.without_sensitive(user, referral.case, values)
    if "attachment_ids" in values:  # the letter's Lampiran: documents of this case only
        chosen = attachments.letter_ids(user, referral, values["attachment_ids"])
        values = {**values, "attachment_ids": chosen}
    changes, previous = {}, referral.destination_regency_code
    for name in COMMON_FIELDS + KIND_FIELDS[referral.kind]:
        if name in values and getattr(referral, name) != values[name]:
            changes[name] = True
            setattr(referral, name, values[name])
    addressees.fill_receiver(referral, previous)  # a return home goes to the destination's Dinsos
    referral.updated_at = utcnow()
    return changes


def saved_version(referral: Referral) -> int:
    """The version the saved draft has once written: a re-shown form posts it back."""
    db.session.flush()
    return referral.version_id


def update(referral: Referral, user: User, values: dict, version: int, ip: str = "") -> None:
    if not can_edit(user, referral):
        raise TransitionRefused(str(_l("Rujukan yang sudah diajukan tidak dapat diubah.")))
    if version != referral.version_id:
        raise StaleVersion(
            str(
                _l("Rujukan ini sudah diubah orang lain sejak formulir dibuka. Muat ulang halaman.")
            )
        )
    changes = _assign(referral, user, values)
    if changes:
        db.session.flush()
        audit.record(
            "referral.update",
            user=user,
            ip=ip,
            object_type="referral",
            object_id=referral.id,
            case_id=referral.case_id,
            details={"fields": sorted(changes)},
        )


def submit(referral: Referral, user: User, ip: str = "") -> None:
    if not can_edit(user, referral):
        raise TransitionRefused(str(_l("Rujukan ini tidak dapat diajukan sekarang.")))
    consent.require_basis(referral)  # BasisMissing: the page links to the case's basis form
    missing = missing_for_submit(referral)
    if missing:
        labels = ", ".join(label for _name, label in missing)
        raise TransitionRefused(
            str(_l("Belum lengkap: %(fields)s.", fields=labels)), field=missing[0][0]
        )
    referral.status = "submitted"
    referral.submitted_by_id = user.id
    referral.submitted_at = utcnow()
    referral.decision_comment = ""
    db.session.flush()
    _record(referral, user, "referral_submitted", ip)


def _decide_guard(referral: Referral, manager: User) -> None:
    if not access.manages_office(manager, referral.office_id):
        raise TransitionRefused(str(_l("Hanya manajer kantor ini yang memutuskan rujukan.")))
    if referral.status != "submitted":
        raise TransitionRefused(str(_l("Rujukan ini tidak sedang menunggu keputusan.")))
    if referral.submitted_by_id == manager.id:
        raise TransitionRefused(
            str(_l("Anda tidak dapat memutuskan rujukan yang Anda ajukan sendiri."))
        )


def approve(
    referral: Referral, manager: User, comment: str = "", ip: str = "", today: date | None = None,
    numbers: dict | None = None,
):  # fmt: skip
    """Approve and issue the referral's letter with the next number of the office's register
    (or, for an office numbering from its agenda, the `numbers` typed per letter kind)."""
    numbers = numbers or {}
    _decide_guard(referral, manager)
    now = utcnow()
    referral.status = "approved"
    referral.decided_by_id = manager.id
    referral.decided_at = now
    referral.decision_comment = comment.strip()
    case = referral.case
    if case.status in ("new", "in_progress"):
        set_workflow_fields(case, status="referred", updated_at=now)
    db.session.flush()  # version check: a second decision on the same referral fails here
    office = _office(referral)
    issued_on = today or office_today(office)  # the office's date, not UTC's
    kind = referral_kinds.KINDS[referral.kind]
    letter = letters.issue(
        office,
        manager,
        kind.letter,
        issued_on=issued_on,
        case=case,
        referral=referral,
        recipient=letters.recipient_for(referral),
        ip=ip,
        number=numbers.get(kind.letter, ""),
    )
    for person_letter in kind.person_letters:  # e.g. the surat jalan a traveller carries
        letters.issue(
            office,
            manager,
            person_letter,
            issued_on=issued_on,
            case=case,
            referral=referral,
            recipient=person_name(case),
            ip=ip,
            number=numbers.get(person_letter, ""),
        )
    _record(
        referral,
        manager,
        "referral_approved",
        ip,
        comment.strip(),
        letter_number=letter.number,
        letter_id=letter.id,
    )
    return letter


def person_name(case: Case) -> str:
    return case.person.display_name if case.person else ""


def _office(referral: Referral):
    from ..models import Office

    return db.session.get(Office, referral.office_id)


def reject(referral: Referral, manager: User, reason: str, ip: str = "") -> None:
    _decide_guard(referral, manager)
    if not reason.strip():
        raise TransitionRefused(str(_l("Alasan penolakan wajib diisi.")))
    _decide(referral, manager, "rejected", reason)
    _record(referral, manager, "referral_rejected", ip, reason.strip())


def return_for_changes(referral: Referral, manager: User, comment: str, ip: str = "") -> None:
    _decide_guard(referral, manager)
    if not comment.strip():
        raise TransitionRefused(str(_l("Tulis apa yang perlu diperbaiki.")))
    _decide(referral, manager, "returned", comment)
    _record(referral, manager, "referral_returned", ip, comment.strip())


def _decide(referral: Referral, manager: User, status: str, comment: str) -> None:
    referral.status = status
    referral.decided_by_id = manager.id
    referral.decided_at = utcnow()
    referral.decision_comment = comment.strip()
    db.session.flush()


def decide(
    referral: Referral, manager: User, action: str, comment: str = "", ip: str = "",
    numbers: dict | None = None,
):  # fmt: skip
    """The manager's decision by its name (approve, reject, return): the letter issued when
    approved, else None. `numbers`: the office agenda's numbers typed per letter kind."""
    if action == "approve":
        return approve(referral, manager, comment, ip=ip, numbers=numbers)
    step = {"reject": reject, "return": return_for_changes}.get(action)
    if step is None:
        raise TransitionRefused(str(_l("Pilih keputusan.")), field="action")
    return step(referral, manager, comment, ip=ip)


def complete(
    referral: Referral, user: User, handover: Handover, ip: str = "", today: date | None = None
) -> None:
    if not can_close(user, referral):
        raise TransitionRefused(str(_l("Hanya rujukan yang disetujui yang dapat diselesaikan.")))
    for name, value in vars(handover).items():
        setattr(referral, name, value.strip() if isinstance(value, str) else value)
    referral.status = "completed"
    referral.closed_at = utcnow()
    db.session.flush()
    office = _office(referral)
    # dated and numbered when issued (the register's order); the text tells the handover's day
    letters.issue(
        office, user, "berita_acara", issued_on=today or office_today(office),
        case=referral.case, referral=referral, recipient=handover.receiver_institution, ip=ip,
    )  # fmt: skip
    _record(
        referral, user, "referral_completed", ip, handover.handover_note.strip(),
        receiver=f"{handover.receiver_name} ({handover.receiver_position}, {handover.receiver_institution})",
        handover_date=handover.handover_date.isoformat(),
    )  # fmt: skip


def cancel(referral: Referral, user: User, reason: str, ip: str = "") -> None:
    if not can_close(user, referral):
        raise TransitionRefused(str(_l("Hanya rujukan yang disetujui yang dapat dibatalkan.")))
    if not reason.strip():
        raise TransitionRefused(str(_l("Alasan pembatalan wajib diisi.")))
    referral.status = "cancelled"
    referral.cancel_reason = reason.strip()
    referral.closed_at = utcnow()
    case = referral.case
    if case.status == "referred" and not any(
        r.status in ("approved", "completed") for r in case_referrals(case) if r.id != referral.id
    ):
        set_workflow_fields(case, status="in_progress", updated_at=utcnow())
    db.session.flush()
    _record(referral, user, "referral_cancelled", ip, reason.strip())


def case_referrals(case: Case) -> list[Referral]:
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload, selectinload

    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.case_id == case.id)
            .options(joinedload(Referral.organisation), selectinload(Referral.letters))
            .order_by(Referral.created_at.desc())
        )
    )
