"""The tallies' counts over a range of days, counted by the database: the days of a report
outside whole months, and an office's figures before its tallies are built.

Each measure is one GROUP BY over an index on the office and the measure's date
(ix_case_office_reported, ix_case_office_status_closed, ix_referral_office_decided,
ix_referral_office_handover, ix_aid_office_given), or over a social worker's own case ids: no
case ids travel through Python, so the cost follows the rows of those days, not the size of the
office. What each case counts for is the same as services.tally_counts defines (and a test
compares the two on every measure)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, case, func, literal, or_, select

from ..extensions import db
from ..models import Aid, Case, CaseClosure, Referral
from ..models.cases import DISASTER_PPKS, DISASTER_TYPES
from ..models.closure import CLOSURE_REASONS
from .tally_counts import MEASURES, Tally, time_zone
from .timeutil import day_start_utc


class _Days:
    """One range of days of one office, seen as the office (scope 0, by kecamatan) or as one
    social worker (their id, their own cases: `within`)."""

    def __init__(self, office_id, first, last, district, within, scope) -> None:
        tz = time_zone(db.session(), office_id)
        self.office_id, self.first, self.last, self.scope = office_id, first, last, scope
        self.start, self.end = day_start_utc(first, tz), day_start_utc(last + timedelta(1), tz)
        self.cases = [Case.office_id == office_id]
        if district:
            self.cases.append(Case.district_code == district)
        if within is not None:
            self.cases.append(Case.id.in_(within))
        elif scope:
            self.cases.append(or_(Case.assigned_to_id == scope, Case.created_by_id == scope))
        self.district = Case.district_code if scope == 0 else literal("")
        self.out: Tally = {}

    def add(self, measure: str, rows) -> None:
        for ppks_code, local_type_id, district_code, key, n, amount in rows:
            item = (
                self.office_id,
                self.scope,
                measure,
                self.first,
                ppks_code,
                local_type_id or 0,
                district_code or "",
                key or "",
            )
            slot = self.out.setdefault(item, [0, 0])
            slot[0] += n
            slot[1] += amount or 0

    def count(self, measure: str, key, n, amount, *where, source=None) -> None:
        group = (Case.ppks_code, Case.local_type_id, self.district, key)
        query = select(*group, n, amount)
        if source is not None:
            query = query.select_from(source).join(Case, Case.id == source.case_id)
        query = query.where(*self.cases, *where).group_by(*group)
        self.add(measure, db.session.execute(query))

    def child(self, model, *where):
        """A referral's or aid's own office (its case's) and date: its index, then its case."""
        return (model.office_id == self.office_id, *where)


def _reported(d: _Days, measures) -> None:
    when = (Case.reported_at >= d.start, Case.reported_at < d.end)
    if "new" in measures:
        d.count("new", literal(""), func.count(), literal(0), *when)
    if "disaster" in measures or "disaster_kk" in measures:
        disaster = or_(
            Case.ppks_code.in_(DISASTER_PPKS),
            and_(Case.disaster_type.is_not(None), Case.disaster_type != ""),
        )
        kind = case((Case.disaster_type.in_(DISASTER_TYPES), Case.disaster_type), else_="other")

        def at_least_one(column):  # a household not recorded: 1 KK, 1 jiwa
            return func.sum(case((func.coalesce(column, 0) == 0, 1), else_=column))

        group = (Case.ppks_code, Case.local_type_id, d.district, kind)
        people, kk = at_least_one(Case.household_people), at_least_one(Case.household_kk)
        query = select(*group, func.count(), people, kk).where(*d.cases, disaster, *when)
        rows = db.session.execute(query.group_by(*group)).all()
        d.add("disaster", [row[:6] for row in rows])
        d.add("disaster_kk", [(*row[:5], row[6]) for row in rows])


def _closed(d: _Days, measures) -> None:
    when = (Case.status == "closed", Case.closed_at >= d.start, Case.closed_at < d.end)
    if "ended" in measures:
        d.count("ended", literal(""), func.count(), literal(0), *when)
    if "closed" not in measures:
        return
    # each reason of its approved closures once (none recorded: "none"), as tally_counts
    closure = CaseClosure.__table__.alias("closure")
    reason = case((closure.c.reason.in_(CLOSURE_REASONS), closure.c.reason), else_=literal("none"))
    group = (Case.ppks_code, Case.local_type_id, d.district, reason)
    query = (
        select(*group, func.count(func.distinct(Case.id)), literal(0))
        .select_from(Case)
        .outerjoin(
            closure,
            and_(
                closure.c.case_id == Case.id,
                closure.c.status.in_(("approved", "closed")),
            ),
        )
        .where(*d.cases, *when)
        # the reason first: no index gives this order, so SQLite without statistics takes
        # (office, status, closed_at) for the days rather than every closed case by category
        .group_by(reason, *group[:3])
    )
    d.add("closed", db.session.execute(query))


def _referrals(d: _Days, measures) -> None:
    if "referred" in measures:
        decided = d.child(
            Referral,
            Referral.decided_at >= d.start,
            Referral.decided_at < d.end,
            Referral.status.in_(("approved", "completed")),
        )
        d.count("referred", Referral.kind, func.count(), literal(0), *decided, source=Referral)
    handed = d.child(
        Referral,
        Referral.handover_date.between(d.first, d.last),
        Referral.status == "completed",
    )
    if "handed" in measures:
        d.count("handed", literal(""), func.count(), literal(0), *handed, source=Referral)
    if "returned" in measures:
        province = func.substr(func.coalesce(Referral.destination_regency_code, ""), 1, 2)
        home = (*handed, Referral.kind == "return_home")
        d.count("returned", province, func.count(), literal(0), *home, source=Referral)


def _aid(d: _Days, measures) -> None:
    if "aid" in measures:
        given = d.child(Aid, Aid.given_on.between(d.first, d.last))
        amount = func.sum(func.coalesce(Aid.amount, 0))
        d.count("aid", Aid.kind, func.count(), amount, *given, source=Aid)
    if "goods" in measures:  # in kind: by kind and unit (tally_counts.goods_key)
        given = d.child(Aid, Aid.given_on.between(d.first, d.last), Aid.quantity.is_not(None))
        key = Aid.kind.concat("\t").concat(func.coalesce(Aid.unit, ""))
        d.count("goods", key, func.count(), func.sum(Aid.quantity), *given, source=Aid)


def counted_between(
    office_id: int,
    first: date,
    last: date,
    district: str | None = None,
    within=None,
    scope: int = 0,
    measures=MEASURES,
) -> Tally:
    """The contributions (services.tally_counts) dated first..last, summed over those days:
    keys as the tallies' with `first` standing for the range's month. `within`: only the
    cases of this select of ids (a social worker's); `scope`: the office's counts (0, by
    kecamatan) or one social worker's (their id, no kecamatan)."""
    days = _Days(office_id, first, last, district, within, scope)
    for part in (_reported, _closed, _referrals, _aid):
        part(days, measures)
    return {item: value for item, value in days.out.items() if value[0] or value[1]}
