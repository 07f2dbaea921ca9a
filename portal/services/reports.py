"""Period reports in PPKS categories: counts by category and local case type, returns home,
disaster victims, aid (summary: services.report_summary; exports: services.report_export).
Every figure counts only the cases the user may see (services.access), so a social worker's
report holds only their own cases (it says so: handled_by) and another office's none. What a case
counts for is defined once, in services.tallies: a manager's report adds up the office's
monthly tallies (and counts the days outside whole months from those days' cases), a social
worker's counts their own cases the same way. Period edges: a day belongs to the period when
start <= day <= end; times are compared as the case list compares them (case_list.CaseFilters).
Referrals, handovers, returns home and aid count each time they happen (two approved referrals
of one case in a period count twice); new, active and closed count cases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Case, LocalCaseType, PpksCategory, User
from ..models.cases import DISASTER_TYPES
from ..models.closure import CLOSURE_REASONS
from ..models.followups import AID_KINDS
from ..models.referrals import REFERRAL_KINDS
from . import access, aid_goods, labels, regions, registry, tallies, tally_days, tally_reads
from .i18n import lazy as _l
from .report_period import QUARTERS, Period, day_label  # noqa: F401 (reports.Period)
from .report_summary import summary
from .tally_counts import Tally, month_of

CLOSED_REASONS = (*CLOSURE_REASONS, "none")  # "none": closed before closures were recorded


# --- categories -----------------------------------------------------------------------------


def category_key(ppks_code: str, local_type_id: int | None) -> str:
    """The case list's category filter value: "L:<id>" for a local case type, else "P:<code>"."""
    return f"L:{local_type_id}" if local_type_id else f"P:{ppks_code}"


def category_labels(office_id: int) -> dict[str, str]:
    names = {
        f"P:{code}": f"{code} {name}"
        for code, name in db.session.execute(select(PpksCategory.code, PpksCategory.name))
    }
    for local in db.session.scalars(
        select(LocalCaseType).where(LocalCaseType.office_id == office_id)
    ):
        names[f"L:{local.id}"] = local.name
    return names


def by_category(query) -> dict[str, int]:
    """Counts of a select(Case) (already narrowed) by category."""
    rows = db.session.execute(
        query.with_only_columns(Case.ppks_code, Case.local_type_id, func.count())
        .group_by(Case.ppks_code, Case.local_type_id)
        .order_by(None)
    )
    result: dict[str, int] = {}
    for ppks_code, local_type_id, n in rows:
        key = category_key(ppks_code, local_type_id)
        result[key] = result.get(key, 0) + n
    return result


def sort_key(key: str) -> tuple:
    """Local case types first (in id order), then PPKS codes in order."""
    kind, _, ident = key.partition(":")
    return (0, int(ident), "") if kind == "L" else (1, 0, ident)


def reason_label(reason: str) -> str:
    none = reason == "none"
    return str(_l("Tanpa alasan tercatat") if none else labels.CLOSURE_REASONS[reason])


# --- the report -----------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    new: int = 0
    active: int = 0
    referred: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REFERRAL_KINDS, 0))
    handed_over: int = 0
    closed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLOSED_REASONS, 0))

    @property
    def closed_total(self) -> int:
        return sum(self.closed.values())

    @property
    def referred_total(self) -> int:
        return sum(self.referred.values())

    def add(self, other: Row) -> None:
        self.new += other.new
        self.active += other.active
        self.handed_over += other.handed_over
        for kind, n in other.referred.items():
            self.referred[kind] += n
        for reason, n in other.closed.items():
            self.closed[reason] += n


@dataclass
class Report:
    period: Period
    district: str | None
    district_name: str
    rows: list[Row]
    total: Row
    returned_home: list[tuple[str, str, int]]  # province code, name, people
    disasters: dict[str, int]  # disaster type -> cases
    aid: list[tuple[str, int, int]]  # kind, count, Rupiah
    aid_goods: dict[str, str] = field(default_factory=dict)  # kind -> "10 paket, 2 tiket"
    summary: list[str] = field(default_factory=list)
    disaster_kk: dict[str, int] = field(default_factory=dict)  # type -> families (KK)
    disaster_people: dict[str, int] = field(default_factory=dict)  # type -> people (jiwa)
    unregistered: int = 0  # people of the cases active at the end not yet in DTSEN
    handled_by: str = ""  # a social worker's report: her name (it counts only her cases)

    @property
    def disaster_total(self) -> int:
        return sum(self.disasters.values())

    @property
    def disaster_kk_total(self) -> int:
        return sum(self.disaster_kk.values())

    @property
    def disaster_people_total(self) -> int:
        return sum(self.disaster_people.values())

    @property
    def returned_total(self) -> int:
        return sum(n for _, _, n in self.returned_home)

    @property
    def aid_count(self) -> int:
        return sum(n for _, n, _ in self.aid)

    @property
    def aid_amount(self) -> int:
        return sum(a for _, _, a in self.aid)

    def link_args(self) -> dict:
        """Case-list filters shared by every link of this report."""
        return {"district": self.district} if self.district else {}


@dataclass
class Figures:
    """A period's counts before they become rows: by category key (and kind, reason …)."""

    new: Counter = field(default_factory=Counter)  # category
    ended: Counter = field(default_factory=Counter)  # category (closed, whatever the reason)
    referred: Counter = field(default_factory=Counter)  # (category, kind)
    handed: Counter = field(default_factory=Counter)  # category
    closed: Counter = field(default_factory=Counter)  # (category, reason)
    returned: Counter = field(default_factory=Counter)  # province code
    disasters: Counter = field(default_factory=Counter)  # disaster type
    disaster_kk: Counter = field(default_factory=Counter)  # disaster type: families
    disaster_people: Counter = field(default_factory=Counter)  # disaster type: people
    aid: Counter = field(default_factory=Counter)  # kind
    aid_amount: Counter = field(default_factory=Counter)  # kind
    goods: Counter = field(default_factory=Counter)  # (kind, unit): quantity given in kind
    goods_given: Counter = field(default_factory=Counter)  # (kind, unit): times

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).update(getattr(other, name))


def _add(out: Figures, measure: str, category: str, key: str, n: int, amount: int) -> None:
    if measure in ("new", "ended", "handed"):
        getattr(out, measure)[category] += n
    elif measure in ("referred", "closed"):
        getattr(out, measure)[category, key] += n
    elif measure == "returned":
        out.returned[key] += n
    elif measure == "disaster":
        out.disasters[key] += n
        out.disaster_people[key] += amount
    elif measure == "disaster_kk":
        out.disaster_kk[key] += amount
    elif measure == "aid":
        out.aid[key] += n
        out.aid_amount[key] += amount
    elif measure == "goods":  # keyed "kind\tunit": (kind, unit)
        out.goods[key.partition("\t")[::2]] += amount
        out.goods_given[key.partition("\t")[::2]] += n


def _tallied(office_id: int, first: date, last: date, district: str | None = None, **kw) -> Figures:
    """The figures of the whole months first..last (first days), from the tallies."""
    out = Figures()
    for measure, ppks_code, local_type_id, key, _month, n, amount in tally_reads.read(
        office_id, first, last, district, **kw
    ):
        _add(out, measure, category_key(ppks_code, local_type_id), key, n, amount or 0)
    return out


def _tallied_days(office_id: int, first: date, last: date, district, user_id: int) -> Figures:
    """The figures of the days first..last of one month, from the day tallies."""
    out = Figures()
    for measure, ppks_code, local_type_id, key, n, amount in tally_reads.read_days(
        office_id, first, last, district, user_id=user_id
    ):
        _add(out, measure, category_key(ppks_code, local_type_id), key, n, amount or 0)
    return out


def _from_events(found: Tally, first: date, last: date) -> Figures:
    """The figures of the days first..last from day-dated contributions (services.tallies)."""
    out = Figures()
    for item, (n, amount) in found.items():
        _office, _user, measure, day, ppks_code, local_type_id, _district, key = item
        if first <= day <= last:
            _add(out, measure, category_key(ppks_code, local_type_id or None), key, n, amount)
    return out


def _segments(period: Period) -> list[tuple[date, date, bool]]:
    """The period cut at month edges: (first, last, whole month?), whole months joined."""
    out: list[tuple[date, date, bool]] = []
    day = period.start
    while day <= period.end:
        month = Period.month(day.year, day.month)
        last = min(month.end, period.end)
        whole = day == month.start and last == month.end
        if whole and out and out[-1][2]:
            out[-1] = (out[-1][0], last, True)
        else:
            out.append((day, last, whole))
        day = last + timedelta(1)
    return out


def _active(through: Figures) -> Counter:
    """Open at the end of a day: every case reported by then less every case closed by then."""
    active = Counter(through.new)
    active.subtract(through.ended)
    return +active


def tallied_through(
    office_id: int, last_month: date, district: str | None = None, user_id: int = 0
) -> Figures:
    """New and closed cases of every month up to last_month (a first day), from the tallies:
    what _active() needs for the end of that month."""
    return _tallied(
        office_id,
        date(1900, 1, 1),
        last_month,
        district,
        user_id=user_id,
        measures=("new", "ended"),
    )


def _counted_from_cases(user: User, period: Period, district, within) -> tuple[Figures, Counter]:
    """Without tallies: the period's figures from its days' cases, the active ones as the case
    list counts them."""
    from .case_list import active_on_filter

    cases = access.counted_cases(user)
    if district:
        cases = cases.where(Case.district_code == district)
    found = tally_days.counted_between(
        user.office_id, period.start, period.end, district, within=within
    )
    active = by_category(active_on_filter(cases, period.end, user))
    return _from_events(found, period.start, period.end), Counter(active)


def figures(user: User, period: Period, district: str | None = None) -> tuple[Figures, Counter]:
    """The period's figures and the cases active at its end, by category, from the tallies:
    the office's for a manager, their own for a social worker (whole months from the monthly
    tallies, the days outside whole months from the day tallies). Both count what services.tallies defines. Without
    tallies (an office not yet rebuilt, or a social worker's report of one kecamatan) every
    figure is counted from the cases."""
    office = user.office
    scope = access.figures_scope(user)
    if scope is None:
        return Figures(), Counter()  # admin: no case figures
    if not tallies.ready(office) or (scope and district):
        within = None if scope == 0 else access.counted_ids(user)
        return _counted_from_cases(user, period, district, within)
    counted: dict[tuple[date, date], Figures] = {}

    def days(first: date, last: date) -> Figures:
        if (first, last) not in counted:
            counted[first, last] = _tallied_days(office.id, first, last, district, scope)
        return counted[first, last]

    out = Figures()
    for first, last, whole in _segments(period):
        month = month_of(last)
        out.add(
            _tallied(office.id, first, month, district, user_id=scope)
            if whole
            else days(first, last)
        )
    # active at the end: whole months from the tallies, then the end's own month so far
    end_month = Period.month(period.end.year, period.end.month)
    whole = period.end == end_month.end
    through = tallied_through(
        office.id, end_month.start if whole else end_month.start - timedelta(1), district, scope
    )
    if not whole:
        through.add(days(end_month.start, period.end))
    return out, _active(through)


def _category_rows(counts: Figures, active: Counter, names: dict[str, str]) -> list[Row]:
    """One row per category with anything to show (tallies of a category whose cases all
    moved away hold zeros: no row for them), in the categories' order."""
    rows: dict[str, Row] = {}

    def row(key: str) -> Row:
        return rows.setdefault(key, Row(key=key, label=names.get(key, key)))

    for key, n in (+counts.new).items():
        row(key).new = n
    for key, n in (+active).items():
        row(key).active = n
    for (key, kind), n in (+counts.referred).items():
        row(key).referred[kind] += n
    for key, n in (+counts.handed).items():
        row(key).handed_over = n
    for (key, reason), n in (+counts.closed).items():
        row(key).closed[reason] += n
    return [rows[k] for k in sorted(rows, key=sort_key)]


def _returned_home(counts: Figures) -> list[tuple[str, str, int]]:
    unknown = str(_l("Tidak diketahui"))
    found = (
        (code, regions.region_name(code) or unknown, n) for code, n in (+counts.returned).items()
    )
    return sorted(found, key=lambda item: (-item[2], item[1]))


def build(user: User, period: Period, district: str | None = None) -> Report:
    """The report of `period` over the cases `user` may see (optionally one kecamatan)."""
    counts, active = figures(user, period, district)
    ordered = _category_rows(counts, active, category_labels(user.office_id))
    total = Row(key="", label=str(_l("Jumlah")))
    for item in ordered:
        total.add(item)
    disasters, kk, people = (dict.fromkeys(DISASTER_TYPES, 0) for _ in range(3))
    for target, counted in ((disasters, counts.disasters), (kk, counts.disaster_kk),
                            (people, counts.disaster_people)):  # fmt: skip
        for kind, n in (+counted).items():
            target[kind if kind in target else "other"] += n
    aid = [
        (kind, counts.aid[kind], counts.aid_amount[kind]) for kind in AID_KINDS if counts.aid[kind]
    ]
    report = Report(
        period=period,
        district=district,
        district_name=regions.region_name(district) or "" if district else "",
        rows=ordered,
        total=total,
        returned_home=_returned_home(counts),
        disasters=disasters,
        aid=aid,
        aid_goods=aid_goods.described(counts.goods, counts.goods_given) if aid else {},
        disaster_kk=kk,
        disaster_people=people,
        handled_by=user.full_name if access.figures_scope(user) not in (0, None) else "",
    )
    report.unregistered = _unregistered(user, period, district)
    report.summary = summary(report)
    return report


def _unregistered(user: User, period: Period, district: str | None) -> int:
    """The people of the cases active at the period's end whose latest registry check found
    them not registered (or proposed) in DTSEN (services.registry)."""
    from .case_list import active_on_filter

    if access.figures_scope(user) is None:
        return 0
    cases = access.counted_cases(user)
    if district:
        cases = cases.where(Case.district_code == district)
    return registry.count_unregistered(active_on_filter(cases, period.end, user), user.office_id)
