"""The manager's desk: everything waiting for a decision as one compact, bounded list (most urgent
first, then the longest waiting), filtered by kind, and several items decided at once.

Referrals and closure requests wait in two tables; the desk pages over both with one UNION query
that carries only (type, id, urgency rank, since), then loads the page's items (25 by default), so a
desk with 20,000 waiting items costs what a desk with 20 does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case as sql_case
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, CaseClosure, Referral, User
from . import access, closure, labels, referrals
from .errors import NotFound, Refused
from .i18n import lazy as _l

PER_PAGE = 25
MAX_AT_ONCE = 50  # items one bulk decision may touch (two pages)
CLOSURE = "closure"
URGENCY_ORDER = ("emergency", "high", "normal", "low")


@dataclass
class Entry:
    type: str  # "referral" or "closure"
    item: Referral | CaseClosure
    since: datetime

    @property
    def key(self) -> str:
        return f"{self.type}:{self.item.id}"

    @property
    def case(self) -> Case:
        return self.item.case


@dataclass
class Desk:
    entries: list[Entry]
    total: int
    page: int
    pages: int
    kind: str  # "" (all), a referral kind, or "closure"
    counts: dict[str, int]  # waiting items per kind filter


@dataclass
class Outcome:
    key: str
    label: str  # case number
    ok: bool
    message: str


def _rank():
    return sql_case(
        *((Case.urgency == name, i) for i, name in enumerate(URGENCY_ORDER)),
        else_=len(URGENCY_ORDER),
    )


def _waiting(manager: User, kind: str):
    """(type, id, rank, since) of every item waiting in the manager's office."""
    parts = []
    if kind != CLOSURE:
        referral_rows = (
            select(
                literal("referral").label("type"),
                Referral.id.label("id"),
                _rank().label("rank"),
                Referral.submitted_at.label("since"),
            )
            .join(Case, Case.id == Referral.case_id)
            .where(Referral.office_id == manager.office_id, Referral.status == "submitted")
        )
        parts.append(referral_rows.where(Referral.kind == kind) if kind else referral_rows)
    if kind in ("", CLOSURE):
        parts.append(
            select(
                literal(CLOSURE).label("type"),
                CaseClosure.id.label("id"),
                _rank().label("rank"),
                CaseClosure.requested_at.label("since"),
            )
            .join(Case, Case.id == CaseClosure.case_id)
            .where(CaseClosure.office_id == manager.office_id, CaseClosure.status == "requested")
        )
    return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def counts(manager: User) -> dict[str, int]:
    by_kind = dict(
        db.session.execute(
            select(Referral.kind, func.count())
            .where(Referral.office_id == manager.office_id, Referral.status == "submitted")
            .group_by(Referral.kind)
        ).all()
    )
    closures = db.session.scalar(
        select(func.count()).select_from(closure.waiting_query(manager).subquery())
    )
    return {**by_kind, CLOSURE: closures} if closures else by_kind


def desk(manager: User, kind: str = "", page: int = 1, per_page: int = PER_PAGE) -> Desk:
    """One page of the desk: the most urgent first, then the longest waiting."""
    known = counts(manager)
    kind = kind if kind in referrals.KIND_LABELS or kind == CLOSURE else ""
    total = known.get(kind, 0) if kind else sum(known.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = _waiting(manager, kind)
    keys = db.session.execute(
        select(rows.c.type, rows.c.id, rows.c.since)
        .order_by(rows.c.rank, rows.c.since, rows.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Desk(_load(keys), total, page, pages, kind, known)


def _load(keys) -> list[Entry]:
    wanted = {"referral": [], CLOSURE: []}
    for type_, item_id, _since in keys:
        wanted[type_].append(item_id)
    loaded = {
        ("referral", r.id): r
        for r in db.session.scalars(
            select(Referral)
            .where(Referral.id.in_(wanted["referral"]))
            .options(
                joinedload(Referral.case).joinedload(Case.person),
                joinedload(Referral.case).joinedload(Case.assigned_to),
                joinedload(Referral.organisation),
                joinedload(Referral.submitted_by),
            )
        )
    } if wanted["referral"] else {}  # fmt: skip
    if wanted[CLOSURE]:
        for item in db.session.scalars(
            select(CaseClosure)
            .where(CaseClosure.id.in_(wanted[CLOSURE]))
            .options(
                joinedload(CaseClosure.case).joinedload(Case.person),
                joinedload(CaseClosure.case).joinedload(Case.assigned_to),
                joinedload(CaseClosure.requested_by),
            )
        ):
            loaded[CLOSURE, item.id] = item
    return [Entry(t, loaded[t, i], since) for t, i, since in keys if (t, i) in loaded]


def _item(manager: User, key: str) -> Referral | CaseClosure:
    type_, _, raw_id = key.partition(":")
    if type_ not in ("referral", CLOSURE) or not raw_id.isdigit() or len(raw_id) > 9:
        raise NotFound("")
    if type_ == "referral":
        return access.referral_for(manager, int(raw_id))
    item = db.session.get(CaseClosure, int(raw_id))
    if item is None or item.office_id != manager.office_id:
        raise NotFound("")
    return item


def _decide_one(manager: User, item, action: str, comment: str, ip: str) -> str:
    """The decision on one item; what the desk says about it afterwards."""
    if isinstance(item, Referral):
        letter = referrals.decide(item, manager, action, comment, ip=ip)
        number = f" · {letter.number}" if letter is not None and letter.number else ""
        return f"{_status(action)}{number}"
    if action == "reject":
        raise Refused(str(_l("Penutupan tidak ditolak; kembalikan dengan komentar.")))
    closure.decide(item, manager, action, comment, ip=ip)
    return _status(action)


def _status(action: str) -> str:
    return {
        "approve": str(_l("Disetujui")),
        "reject": str(_l("Ditolak")),
        "return": str(_l("Dikembalikan")),
    }[action]


def decide_many(manager: User, keys: list[str], action: str, comment: str, ip: str = ""):
    """The same decision (and comment) on each chosen item; each in a savepoint of its own, so
    one refusal (already decided by a colleague, a missing comment) leaves the others decided."""
    if action not in ("approve", "reject", "return"):
        raise Refused(str(_l("Pilih keputusan.")), field="action")
    chosen = list(dict.fromkeys(keys))
    if not chosen:
        raise Refused(str(_l("Pilih minimal satu item.")), field="keys")
    if len(chosen) > MAX_AT_ONCE:
        raise Refused(str(_l("Paling banyak %(n)d item sekaligus.", n=MAX_AT_ONCE)), field="keys")
    outcomes = []
    for key in chosen:
        try:
            item = _item(manager, key)
        except Refused:
            outcomes.append(Outcome(key, "—", False, str(_l("Tidak ditemukan."))))
            continue
        label = item.case.number
        savepoint = db.session.begin_nested()
        try:
            message = _decide_one(manager, item, action, comment, ip)
            savepoint.commit()
            outcomes.append(Outcome(key, label, True, message))
        except Refused as refusal:
            savepoint.rollback()
            outcomes.append(Outcome(key, label, False, str(refusal)))
    return outcomes


def messages(outcomes: list[Outcome]) -> list[tuple[str, str]]:
    """What the desk says after a decision on several items: one line for those decided, one
    per item refused (with the case number and the reason)."""
    done = [o for o in outcomes if o.ok]
    lines = []
    if done:
        lines.append(("success", str(_l("%(n)d diputuskan: %(items)s.", n=len(done), items=", ".join(
            f"{o.label} ({o.message})" for o in done
        )))))  # fmt: skip
    lines += [("error", f"{o.label}: {o.message}") for o in outcomes if not o.ok]
    return lines


def filter_kinds() -> list[tuple[str, str]]:
    return [*labels.REFERRAL_KINDS.items(), (CLOSURE, str(_l("Penutupan kasus")))]


def desk_args(args) -> dict:
    """The desk's filter and page to return to after deciding."""
    return {k: args[k] for k in ("kind", "page") if args.get(k)}
