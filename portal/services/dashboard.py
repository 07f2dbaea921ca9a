"""The dashboard: a manager's office at a glance, a social worker's own cases the same way.

Every figure counts only the cases the user may see (services.access) and carries the
case-list filters behind it (`args`, for url_for("cases.index", **args))."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import distinct, func, select, true

from ..extensions import db
from ..models import Case, FollowUp, Referral, User
from ..models.cases import OPEN_STATUSES
from ..models.referrals import REFERRAL_KINDS
from . import access, labels, reports, tallies, tally_days, tally_reads
from .i18n import lazy as _l
from .i18n import month_name
from .timeutil import day_start_utc, office_today
from .workdays import overdue_cutoff


@dataclass
class Figure:
    label: str
    value: int
    args: dict = field(default_factory=dict)  # the case list's filters behind the number


@dataclass
class Month:
    label: str
    start: date
    end: date
    new: int = 0
    closed: int = 0


@dataclass
class Dashboard:
    today: date
    open_by_category: list[Figure]
    open_total: Figure
    new_this_month: Figure
    new_last_month: Figure
    waiting: Figure
    approved_by_kind: list[Figure]
    overdue_by_worker: list[Figure]
    caseload: list[Figure]
    closed_by_reason: list[Figure]
    closed_since: date
    months: list[Month]

    @property
    def new_change(self) -> int:
        return self.new_this_month.value - self.new_last_month.value

    @property
    def max_category(self) -> int:
        return max((f.value for f in self.open_by_category), default=0)

    @property
    def max_month(self) -> int:
        return max((max(m.new, m.closed) for m in self.months), default=0)


def month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _range_args(start: date, end: date) -> dict:
    return {"date_from": start.isoformat(), "date_to": end.isoformat()}


def _scope(user: User) -> int | None:
    """Whose monthly tallies: the office's (0) or the social worker's own (None: count the
    cases themselves)."""
    return access.figures_scope(user) if tallies.ready(user.office) else None


def _open_by_category(user: User, cases, scope: int | None, today: date) -> Counter:
    counts: Counter = Counter()
    if scope is not None:
        # open now: the office's or the social worker's count of the present (every case not
        # closed, a case reported ahead of today included), kept as cases change
        for ppks_code, local_type_id, _key, n in tally_reads.read_state(
            user.office_id, "open", user_id=scope
        ):
            counts[reports.category_key(ppks_code, local_type_id)] += n
        counts = +counts
    elif access.sees_whole_office(user):
        # one status at a time: (office, status, category) reads ix_case_office_status_cat
        for status in OPEN_STATUSES:
            counts.update(reports.by_category(cases.where(Case.status == status)))
    else:
        counts.update(reports.by_category(cases.where(Case.status.in_(OPEN_STATUSES))))
    return counts


def _twelve_months(today: date) -> list[Month]:
    return [
        Month(
            f"{month_name(start.month, short=True)} {start.year % 100:02d}",
            start,
            month_start(start, -1) - timedelta(1),
        )
        for start in (month_start(today, back) for back in range(11, -1, -1))
    ]


def _visible(user: User):
    """A condition on a case id column: the cases the user may see. A manager sees the whole
    office: its office_id says enough (an IN over every case id of the office would make the
    database list them all first)."""
    visible_ids = None if access.sees_whole_office(user) else access.counted_ids(user)
    return lambda column: true() if visible_ids is None else column.in_(visible_ids)


def _waiting(user: User, visible, scope: int | None) -> int:
    if scope is not None:  # the office's or the social worker's, kept as referrals change
        return sum(n for *_, n in tally_reads.read_state(user.office_id, "waiting", user_id=scope))
    # count(*) over SELECT DISTINCT, not count(DISTINCT …): PostgreSQL sorts for the latter
    # and may hash the former; "+ 0": SQLite would otherwise read every referral in case_id
    # order (ix_referral_case) to skip the DISTINCT's b-tree
    waiting = (
        select(Referral.case_id + 0)
        .where(
            Referral.office_id == user.office_id,
            Referral.status == "submitted",
            visible(Referral.case_id),
        )
        .distinct()
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(waiting))


def _approved_counted(user: User, visible, this_month: date) -> dict[str, int]:
    decided = (
        select(Referral.kind, Referral.case_id)
        .where(
            Referral.office_id == user.office_id,
            # "|| ''": by the (office, decided_at) index, not every approval of the office
            Referral.status.concat("").in_(("approved", "completed")),
            Referral.decided_at >= day_start_utc(this_month, user.office.timezone),
            visible(Referral.case_id),
        )
        .distinct()
        .subquery()
    )
    return dict(
        db.session.execute(select(decided.c.kind, func.count()).group_by(decided.c.kind)).all()
    )


def _approved_by_kind(user: User, visible, this_month: date, today: date, scope) -> list[Figure]:
    """Cases with a referral approved this month, by kind (a case once per kind)."""
    if scope is not None:  # the office's or the social worker's, kept as referrals are decided
        approved: Counter = Counter()
        for *_, kind, n in tally_reads.read_state(
            user.office_id, "approved", this_month, user_id=scope
        ):
            approved[kind] += n
    else:
        approved = Counter(_approved_counted(user, visible, this_month))
    approved_args = {
        "referral": "approved",
        "ref_from": this_month.isoformat(),
        "ref_to": today.isoformat(),
    }
    return [
        Figure(
            str(labels.REFERRAL_KINDS_SHORT[kind]),
            approved.get(kind, 0),
            {**approved_args, "referral_kind": kind},
        )
        for kind in REFERRAL_KINDS
    ]


def _overdue_by_worker(user: User, today: date) -> list[Figure]:
    cutoff = overdue_cutoff(today)
    # a social worker's: each of the office's open overdue follow-ups has its case looked up by
    # id (EXISTS), not matched against the ids of every case they may see (12,500 at 500,000)
    visible = access.visible_cases(user).with_only_columns(Case.id)
    overdue_rows = db.session.execute(
        select(FollowUp.assigned_to_id, User.full_name, func.count(distinct(FollowUp.case_id)))
        .join(User, User.id == FollowUp.assigned_to_id)
        .where(
            FollowUp.office_id == user.office_id,
            FollowUp.status == "open",
            FollowUp.due_date <= cutoff,
            true()
            if access.sees_whole_office(user)
            else visible.where(Case.id == FollowUp.case_id).exists(),
        )
        .group_by(FollowUp.assigned_to_id, User.full_name)
        .order_by(func.count(distinct(FollowUp.case_id)).desc(), User.full_name)
    )
    return [
        Figure(name, n, {"overdue": "1", "worker": str(worker_id)})
        for worker_id, name, n in overdue_rows
    ]


def _loads(user: User, scope: int | None) -> Counter:
    """Open cases by assigned worker (None: nobody): the office's or the social worker's,
    kept as cases change."""
    if scope is not None:
        return Counter(
            {
                int(key) if key else None: n
                for *_, key, n in tally_reads.read_state(user.office_id, "load", user_id=scope)
            }
        )
    # "assigned_to_id + 0": grouping by the bare column lets SQLite (without statistics) walk
    # ix_case_office_assigned_created and read every case of the office from the table
    # (0.7 s at 500,000 cases); the expression makes it take (office, status, …). A social
    # worker's cases come in parts (access.counted_parts), not as a join of the office's open
    # cases with their ids: assigned to them, read from (office, status, …, assigned_to_id)
    # alone (PostgreSQL, or SQLite by its statistics: (office, assigned_to_id)); registered by
    # them for others, by (office, created_by_id) ("|| ''": not by status).
    worker = (Case.assigned_to_id + 0).label("worker")
    loads: Counter = Counter()
    for n, part in enumerate(access.counted_parts(user)):
        status = Case.status if n == 0 else Case.status.concat("")
        loads.update(
            dict(
                db.session.execute(
                    select(worker, func.count())
                    .where(part, status.in_(OPEN_STATUSES))
                    .group_by(worker)
                ).all()
            )
        )
    return loads


def _caseload(user: User, scope: int | None) -> list[Figure]:
    loads = _loads(user, scope)
    people = dict(
        db.session.execute(
            select(User.id, User.full_name).where(User.id.in_([w for w in loads if w is not None]))
        ).all()
    )
    return sorted(
        (
            Figure(
                people.get(worker_id, "?") if worker_id else str(_l("Belum ditugaskan")),
                n,
                {"status": "open", "worker": str(worker_id) if worker_id else "none"},
            )
            for worker_id, n in loads.items()
        ),
        key=lambda f: (-f.value, f.label),
    )


def _closed_by_reason(by_reason: Counter, year_start: date, today: date) -> list[Figure]:
    closed_args = {
        "status": "closed",
        "closed_from": year_start.isoformat(),
        "closed_to": today.isoformat(),
    }
    return [
        Figure(reports.reason_label(code), n, {**closed_args, "reason": code})
        for code, n in sorted((+by_reason).items(), key=lambda item: -item[1])
    ]


def build(user: User, today: date | None = None) -> Dashboard:
    today = today or office_today(user.office)
    cases = access.counted_cases(user)
    scope = _scope(user)
    names = reports.category_labels(user.office_id)
    counts = _open_by_category(user, cases, scope, today)
    open_by_category = [
        Figure(names.get(key, key), n, {"status": "open", "category": key})
        for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    open_total = Figure(str(_l("Kasus terbuka")), sum(counts.values()), {"status": "open"})

    this_month = month_start(today)
    last_month = month_start(today, 1)
    months = _twelve_months(today)
    year_start = date(today.year, 1, 1)
    if scope is not None:
        _months_from_tallies(user.office_id, scope, months)
        by_reason = _reasons_from_tallies(user.office_id, scope, year_start, this_month)
    else:
        by_reason = _from_cases(user, months, year_start)
    new_this = Figure(  # the whole month, as the tallies count it
        str(_l("Kasus baru bulan ini")), months[-1].new, _range_args(this_month, months[-1].end)
    )
    new_last = Figure(
        str(_l("Kasus baru bulan lalu")),
        months[-2].new,
        _range_args(last_month, this_month - timedelta(1)),
    )
    visible = _visible(user)
    waiting = _waiting(user, visible, scope)
    return Dashboard(
        today=today,
        open_by_category=open_by_category,
        open_total=open_total,
        new_this_month=new_this,
        new_last_month=new_last,
        waiting=Figure(str(_l("Rujukan menunggu persetujuan")), waiting, {"referral": "waiting"}),
        approved_by_kind=_approved_by_kind(user, visible, this_month, today, scope),
        overdue_by_worker=_overdue_by_worker(user, today),
        caseload=_caseload(user, scope),
        closed_by_reason=_closed_by_reason(by_reason, year_start, today),
        closed_since=year_start,
        months=months,
    )


def _months_from_tallies(office_id: int, user_id: int, months: list[Month]) -> None:
    index = {m.start: m for m in months}
    for measure, *_, month, n, _amount in tally_reads.read(
        office_id,
        months[0].start,
        months[-1].start,
        user_id=user_id,
        measures=("new", "ended"),
        by_month=True,
    ):
        if measure == "new":
            index[month].new += n
        else:
            index[month].closed += n


def _reasons_from_tallies(office_id: int, user_id: int, first: date, last: date) -> Counter:
    out: Counter = Counter()
    for *_, reason, _month, n, _amount in tally_reads.read(
        office_id, first, last, user_id=user_id, measures=("closed",)
    ):
        out[reason] += n
    return out


def _from_cases(user: User, months: list[Month], year_start: date) -> Counter:
    """Months and closure reasons counted from the cases (an office whose tallies are not
    built yet), a month at a time by the database (services.tally_days)."""
    reasons: Counter = Counter()
    within = None if access.sees_whole_office(user) else access.counted_ids(user)
    for month in months:
        found = tally_days.counted_between(
            user.office_id, month.start, month.end, within=within, measures=("new", "ended")
        )
        for (_office, _user, measure, *_), (n, _amount) in found.items():
            if measure == "new":
                month.new += n
            else:
                month.closed += n
    found = tally_days.counted_between(
        user.office_id, year_start, months[-1].end, within=within, measures=("closed",)
    )
    for (*_, key), (n, _amount) in found.items():
        reasons[key] += n
    return reasons
