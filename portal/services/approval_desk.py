"""The manager's desk: everything waiting for a decision as one compact, bounded list (most urgent
first, then the longest waiting), filtered by kind, and several items decided at once.

Referrals and closure requests wait in two tables, each row carrying its case's urgency rank
(`urgency_rank`, models.cases.urgency_rank); the desk pages over both with one UNION query in the
order of their indexes that carries only (type, id, rank, since), then loads the page's items (25 by
default); the counts per kind come from the same indexes. So a desk with 20,000 waiting items costs
what a desk with 20 does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, literal_column, select, union_all
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, CaseClosure, Referral, User
from . import access, closure, labels, referrals
from .errors import NotFound, Refused
from .i18n import lazy as _l

PER_PAGE = 25
MAX_AT_ONCE = 50  # items one bulk decision may touch (two pages)
CLOSURE = "closure"


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


def _referrals(manager: User, kind: str):
    """(type, id, rank, since) of the referrals waiting in the manager's office, of one kind or all;
    in the desk's order along ix_referral_desk_kind (one kind) or ix_referral_desk (all)."""
    rows = select(
        literal("referral").label("type"),
        Referral.id.label("id"),
        Referral.urgency_rank.label("rank"),
        Referral.submitted_at.label("since"),
    ).where(Referral.office_id == manager.office_id, Referral.status == "submitted")
    return rows.where(Referral.kind == kind) if kind else rows


def _closures(manager: User):
    return select(
        literal(CLOSURE).label("type"),
        CaseClosure.id.label("id"),
        CaseClosure.urgency_rank.label("rank"),
        CaseClosure.requested_at.label("since"),
    ).where(CaseClosure.office_id == manager.office_id, CaseClosure.status == "requested")


def _page(manager: User, kind: str, limit: int, offset: int):
    """(type, id, rank, since) of one page of the desk. The sort key is on the waiting rows
    themselves (their case's urgency rank, kept in step by services.cases), so each table is read
    in the order of its index and the database merges the two without sorting the office's waiting
    items: page 1 reads about 50 index entries whether 20 or 20,000 items wait, a deep page the
    entries it skips. SQLite merges a compound select in index order as it stands; PostgreSQL
    merges (Merge Append) only parts that are each ordered and limited, which would make SQLite
    sort each part instead."""
    order = [literal_column("rank"), literal_column("since"), literal_column("id")]
    if kind == CLOSURE:
        query = _closures(manager)
    elif kind:
        query = _referrals(manager, kind)
    else:
        parts = [_referrals(manager, ""), _closures(manager)]
        if db.session.get_bind().dialect.name == "postgresql":
            parts = [select(p.order_by(*order).limit(offset + limit).subquery()) for p in parts]
        query = union_all(*parts)
    return db.session.execute(query.order_by(*order).limit(limit).offset(offset)).all()


def counts(manager: User) -> dict[str, int]:
    """Waiting items per kind filter, counted from the desk's indexes (no table row read)."""
    rows = db.session.execute(
        union_all(
            select(Referral.kind, func.count())
            .where(Referral.office_id == manager.office_id, Referral.status == "submitted")
            .group_by(Referral.kind),
            select(literal(CLOSURE), func.count()).where(
                CaseClosure.office_id == manager.office_id, CaseClosure.status == "requested"
            ),
        )
    ).all()
    return {kind: n for kind, n in rows if n}


def desk(manager: User, kind: str = "", page: int = 1, per_page: int = PER_PAGE) -> Desk:
    """One page of the desk: the most urgent first, then the longest waiting."""
    known = counts(manager)
    kind = kind if kind in referrals.KIND_LABELS or kind == CLOSURE else ""
    total = known.get(kind, 0) if kind else sum(known.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    keys = [
        (t, i, since)
        for t, i, _rank, since in _page(manager, kind, per_page, (page - 1) * per_page)
    ]
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
                joinedload(Referral.case).joinedload(Case.ppks),  # the category shown
                joinedload(Referral.case).joinedload(Case.local_type),
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
                joinedload(CaseClosure.case).joinedload(Case.ppks),
                joinedload(CaseClosure.case).joinedload(Case.local_type),
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
