"""The aid given to a case (food, clothing, tickets, money ...): recorded, listed and totalled."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Aid, Case, User
from ..models._base import utcnow
from ..models.followups import AID_KINDS
from . import access, audit
from .followups import TransitionRefused, _event
from .i18n import lazy as _l
from .workflow import set_workflow_fields

AMOUNT_REQUIRED = ("pocket_money", "medical_cost")


can_record_aid = access.can_record_aid  # services.access


def record_aid(case: Case, user: User, values: dict, ip: str = "") -> Aid:
    if values.get("kind") not in AID_KINDS:
        raise TransitionRefused(str(_l("Jenis bantuan tidak dikenal.")))
    if not can_record_aid(user, case):
        raise TransitionRefused(
            str(_l("Bantuan hanya dapat dicatat untuk kasus terbuka yang Anda tangani."))
        )
    quantity, amount = values.get("quantity"), values.get("amount")
    if quantity is None and amount is None:
        raise TransitionRefused(str(_l("Isi jumlah dan satuan, atau nilai dalam Rupiah.")))
    aid = Aid(
        office_id=case.office_id,
        case_id=case.id,
        kind=values["kind"],
        quantity=quantity,
        unit=(values.get("unit") or "").strip() if quantity is not None else "",
        amount=amount,
        given_on=values["given_on"],
        given_by=(values.get("given_by") or "").strip(),
        note=(values.get("note") or "").strip(),
        recorded_by_id=user.id,
    )
    db.session.add(aid)
    db.session.flush()
    _event(
        case.id,
        user,
        "aid_given",
        aid.note,
        aid_id=aid.id,
        aid_kind=aid.kind,
        quantity=aid.quantity,
        unit=aid.unit,
        amount=aid.amount,
        given_on=aid.given_on.isoformat(),
        given_by=aid.given_by,
    )
    audit.record(
        "aid.record",
        user=user,
        ip=ip,
        object_type="aid",
        object_id=aid.id,
        case_id=case.id,
        details={
            "kind": aid.kind,
            "quantity": aid.quantity,
            "unit": aid.unit,
            "amount": aid.amount,
        },
    )
    set_workflow_fields(case, updated_at=utcnow())
    return aid


def case_aid(case: Case) -> list[Aid]:
    return list(
        db.session.scalars(
            select(Aid).where(Aid.case_id == case.id).order_by(Aid.given_on.desc(), Aid.id.desc())
        )
    )


@dataclass
class AidLine:
    kind: str
    count: int = 0
    amount: int = 0
    quantities: dict[str, int] = field(default_factory=dict)  # unit -> total


@dataclass
class AidSummary:
    total_amount: int
    lines: list[AidLine]
    count: int


def summarise_aid(items: list[Aid]) -> AidSummary:
    """Totals for the case file: Rupiah overall, and per kind the quantities by unit."""
    lines: dict[str, AidLine] = {}
    for aid in items:
        line = lines.setdefault(aid.kind, AidLine(aid.kind))
        line.count += 1
        line.amount += aid.amount or 0
        if aid.quantity is not None:
            unit = aid.unit or ""
            line.quantities[unit] = line.quantities.get(unit, 0) + aid.quantity
    ordered = [lines[k] for k in AID_KINDS if k in lines]
    return AidSummary(sum(line.amount for line in ordered), ordered, len(items))
