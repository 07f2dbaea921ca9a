"""Monthly tallies, counted: what each case contributes to the counts the dashboards and the
period reports add up (models.CaseTally), counted from the database (services.tally_reads reads
the stored tallies back). Each count is kept for the office (user 0, by kecamatan) and for every social worker who
may see the case (assigned to them or registered by them), so a social worker's figures are
theirs alone. services.tallies keeps the stored tallies up to date as cases change.

What a case contributes is defined once, in `_contributions()`: a month, a category, a kecamatan
and a measure (with its key) for each of
- new: reported that month;                       disaster: the same, keyed by disaster type,
  with the household's people (jiwa) as its amount; disaster_kk: the same, with its families (KK);
- ended: closed that month (status closed now);   closed: the same, keyed by closure reason;
- referred: a referral approved that month (approved, or completed since), keyed by kind;
- handed: a referral handed over that month;      returned: a return home handed over that
  month, keyed by the destination province;
- aid: aid given that month, keyed by kind (count and Rupiah);
  goods: the same aid given in kind (with a quantity), keyed by kind and unit ("food\tpaket"),
  with the quantity as its amount.
The office's counts are kept twice: by kecamatan (user 0, for a report of one kecamatan) and over
every kecamatan (user OFFICE_WIDE, without the kecamatan: what the office's dashboard and reports
read, so the rows of a month follow categories x keys, not the office's kecamatan).
The office-wide counts, and each social worker's, also hold three counts of the present, undated
(STATE_MONTH): what a case contributes while it is in a state, so the dashboards read them instead
of counting open cases (STATE_MEASURES, read by read_state; never among MEASURES, so readers of
months never see them; not kept by kecamatan):
- open: not closed (reported less ended, as the months count it), by category;
- load: open by its statuses (OPEN_STATUSES), keyed by the assigned worker's id ("": nobody);
- waiting: a case with a referral waiting for a decision (submitted).
And one dated count, office-wide and by social worker, what the dashboard shows as approved
this month:
- approved: a case with a referral of a kind approved that month: once per case, kind and month
  (dated by the month's first such approval), keyed by kind.
Months and days are the office's own (its time zone): a case reported at 00:44 WITA on
1 December counts in December, although it was still 30 November in UTC."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import ARRAY, Integer, any_, bindparam, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Aid, Case, CaseClosure, Office, Referral
from ..models.cases import DISASTER_PPKS, DISASTER_TYPES, OPEN_STATUSES
from ..models.closure import CLOSURE_REASONS
from .timeutil import local_date

MEASURES = (
    "new",
    "disaster",
    "disaster_kk",
    "ended",
    "closed",
    "referred",
    "handed",
    "returned",
    "aid",
    "goods",
)
STATE_MEASURES = ("open", "load", "waiting")
WIDE_ONLY = (*STATE_MEASURES, "approved")  # kept office-wide and by user, not by kecamatan
STATE_MONTH = date(1900, 1, 1)  # the "month" of the counts of the present (before any case)
OFFICE_WIDE = -1  # user_id of the office's counts over every kecamatan (no kecamatan: "")
KEY_COLUMNS = (
    "office_id",
    "user_id",
    "measure",
    "month",
    "ppks_code",
    "local_type_id",
    "district_code",
    "key",
)
CHUNK = 2000  # ids per IN (…): under SQLite's and PostgreSQL's limits on parameters
# the fields whose change can move a case's counts
CASE_FIELDS = frozenset(
    (
        "office_id",
        "ppks_code",
        "local_type_id",
        "district_code",
        "reported_at",
        "status",
        "closed_at",
        "disaster_type",
        "household_kk",
        "household_people",
        "assigned_to_id",
        "created_by_id",
    )
)
# (office_id, user_id, measure, month or day, ppks_code, local_type_id, district_code, key)
#   -> [n, amount]
Tally = dict[tuple, list[int]]


def month_of(value: date | datetime) -> date:
    return date(value.year, value.month, 1)


def day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def closed_reason(reason: str | None) -> str:
    return reason if reason in CLOSURE_REASONS else "none"


def goods_key(kind: str, unit: str | None) -> str:
    """The key of aid given in kind: its kind and unit ("food\tpaket")."""
    return f"{kind}\t{unit or ''}"


# --- what cases contribute ------------------------------------------------------------------


def _scopes(office_id, district_code, assigned_to_id, created_by_id, scope) -> list[tuple]:
    """Whose counts a case adds to: (office_id, user_id, district_code) for the office (user 0,
    by kecamatan; OFFICE_WIDE, over every kecamatan) and for each social worker who may see it
    (by user, not by kecamatan). The office-wide scope comes first (the counts of the present)."""
    users = sorted({u for u in (assigned_to_id, created_by_id) if u})
    office = [(office_id, OFFICE_WIDE, ""), (office_id, 0, district_code or "")]
    out = office if scope in (None, 0) else []
    out += [(office_id, u, "") for u in users if scope is None or scope == u]
    return out


CASE_COLUMNS = (
    Case.id,
    Case.office_id,
    Case.ppks_code,
    Case.local_type_id,
    Case.district_code,
    Case.reported_at,
    Case.status,
    Case.closed_at,
    Case.disaster_type,
    Case.assigned_to_id,
    Case.created_by_id,
    Case.household_kk,
    Case.household_people,
)
REFERRAL_COLUMNS = (
    Referral.case_id,
    Referral.kind,
    Referral.status,
    Referral.decided_at,
    Referral.handover_date,
    Referral.destination_regency_code,
)


class _Count:
    """Contributions being added up: a case's own first (which also says whose counts it
    adds to), then its closures', referrals' and aid's."""

    def __init__(self, session: Session, bucket, scope: int | None) -> None:
        self.session, self.bucket, self.scope = session, bucket, scope
        self.out: Tally = {}
        self.base: dict[int, tuple] = {}  # case id -> (ppks_code, local_type_id, scopes)
        self.closed_at: dict[int, datetime] = {}
        self.waiting: set[int] = set()  # cases with a referral waiting for a decision
        self.approved: dict[tuple, date] = {}  # (case id, kind, month) -> its first day

    def day(self, case_id: int, value) -> date:
        """The office's day of a timestamp (a date is one already)."""
        return local_date(value, time_zone(self.session, self.base[case_id][2][0][0]))

    def add(self, case_id: int, measure: str, day, key: str = "", amount: int = 0) -> None:
        ppks_code, local_type_id, scopes = self.base[case_id]
        when = self.bucket(self.day(case_id, day))  # the office's day
        for office_id, user_id, district_code in scopes:
            item = (office_id, user_id, measure, when, ppks_code, local_type_id, district_code, key)
            slot = self.out.setdefault(item, [0, 0])
            slot[0] += 1
            slot[1] += amount

    def state(self, case_id: int, measure: str, key: str = "", by_category: bool = True) -> None:
        """A count of the present: the office's (over every kecamatan) and the social
        workers', undated."""
        self.wide(case_id, measure, STATE_MONTH, key, by_category)

    def wide(self, case_id, measure: str, day: date, key: str, by_category: bool) -> None:
        """+1 to the office's count over every kecamatan and to each social worker's, not to
        the office's by kecamatan (user 0): the WIDE_ONLY measures."""
        ppks_code, local_type_id, scopes = self.base[case_id]
        category = (ppks_code, local_type_id) if by_category else ("", 0)
        when = self.bucket(day)
        for office_id, user_id, district in scopes:
            if user_id != 0:
                item = (office_id, user_id, measure, when, *category, district, key)
                self.out.setdefault(item, [0, 0])[0] += 1

    def case(self, row) -> None:
        case_id, office_id, ppks_code, local_type_id, district_code = row[:5]
        reported_at, status, closed, disaster_type, assigned_to_id, created_by_id = row[5:11]
        household_kk, household_people = row[11:13]
        scopes = _scopes(office_id, district_code, assigned_to_id, created_by_id, self.scope)
        if not scopes:
            return
        self.base[case_id] = (ppks_code, local_type_id or 0, scopes)
        if not (status == "closed" and closed is not None):  # what "new" less "ended" counts
            self.state(case_id, "open")
        if status in OPEN_STATUSES:
            self.state(case_id, "load", str(assigned_to_id or ""), by_category=False)
        self.add(case_id, "new", reported_at)
        if ppks_code in DISASTER_PPKS or disaster_type:
            kind = disaster_type if disaster_type in DISASTER_TYPES else "other"
            # a household not recorded counts as the registered victim: 1 KK, 1 jiwa
            self.add(case_id, "disaster", reported_at, kind, household_people or 1)
            self.add(case_id, "disaster_kk", reported_at, kind, household_kk or 1)
        if status == "closed" and closed is not None:
            self.closed_at[case_id] = closed
            self.add(case_id, "ended", closed)

    def closures(self, reasons: dict[int, set[str]]) -> None:
        """Closed now, in the month it was closed: a case reopened and closed again counts
        once, with the reason of its current closure (earlier ones are marked "reopened")."""
        for case_id, day in self.closed_at.items():
            for reason in sorted(reasons.get(case_id, {"none"})):
                self.add(case_id, "closed", day, reason)

    def referral(self, row) -> None:
        if row.case_id not in self.base:
            return
        if row.status == "submitted":
            if row.case_id not in self.waiting:  # the case once, however many are waiting
                self.waiting.add(row.case_id)
                self.state(row.case_id, "waiting", by_category=False)
            return
        if row.decided_at is not None:
            self.add(row.case_id, "referred", row.decided_at, row.kind)
            day = self.day(row.case_id, row.decided_at)
            first = self.approved.setdefault((row.case_id, row.kind, month_of(day)), day)
            self.approved[row.case_id, row.kind, month_of(day)] = min(first, day)
        if row.status != "completed" or row.handover_date is None:
            return
        self.add(row.case_id, "handed", row.handover_date)
        if row.kind == "return_home":
            province = (row.destination_regency_code or "")[:2]
            self.add(row.case_id, "returned", row.handover_date, province)

    def approvals(self) -> None:
        """Each case once per kind and month with a referral approved (the dashboard)."""
        for (case_id, kind, _month), day in sorted(self.approved.items()):
            self.wide(case_id, "approved", day, kind, by_category=False)

    def aid(self, case_id: int, kind: str, given_on, amount, quantity, unit) -> None:
        if case_id in self.base:
            self.add(case_id, "aid", given_on, kind, amount or 0)
            if quantity is not None:
                self.add(case_id, "goods", given_on, goods_key(kind, unit), quantity)


def _closure_reasons(conn, child_filter) -> dict[int, set[str]]:
    reasons: dict[int, set[str]] = {}
    for case_id, reason in conn.execute(
        select(CaseClosure.case_id, CaseClosure.reason).where(
            child_filter(CaseClosure.case_id), CaseClosure.status.in_(("approved", "closed"))
        )
    ):
        reasons.setdefault(case_id, set()).add(closed_reason(reason))
    return reasons


def _contributions(
    session: Session, case_filter, child_filter, bucket=month_of, scope: int | None = None
) -> Tally:
    """The tallies of the cases matched by `case_filter` (a condition on Case);
    `child_filter(column)` narrows a referral's, closure's or aid's case_id the same way.
    `bucket` turns a date into the tally's date: its month, or (day_of) the day itself.
    `scope`: only the office's counts (0) or one user's (their id); None: all of them."""
    count = _Count(session, bucket, scope)
    conn = session.connection()
    for row in conn.execute(select(*CASE_COLUMNS).where(case_filter)):
        count.case(row)
    if not count.base:
        return count.out
    count.closures(_closure_reasons(conn, child_filter))
    statuses = ("submitted", "approved", "completed")  # waiting, or counted when decided
    referred = (child_filter(Referral.case_id), Referral.status.in_(statuses))
    for row in conn.execute(select(*REFERRAL_COLUMNS).where(*referred)):
        count.referral(row)
    count.approvals()
    aid = select(Aid.case_id, Aid.kind, Aid.given_on, Aid.amount, Aid.quantity, Aid.unit)
    aid = aid.where(child_filter(Aid.case_id))
    for row in conn.execute(aid):
        count.aid(*row)
    return count.out


def time_zone(session: Session, office_id: int) -> str:
    """An office's time zone, the offices read once per transaction (a handful of rows)."""
    zones = session.info.setdefault("office_zones", {})
    if office_id not in zones:
        zones.update(session.execute(select(Office.id, Office.timezone)).all())
    return zones[office_id]


def contributions(
    session: Session,
    case_ids: Iterable[int],
    bucket=month_of,
    case_filter=None,
    scope: int | None = None,
) -> Tally:
    """What these cases contribute to the tallies now (as the database has them)."""
    ids = sorted(set(case_ids))
    out: Tally = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        where = _among(session, Case.id, chunk)
        if case_filter is not None:
            where &= case_filter
        _merge(
            out,
            _contributions(
                session, where, lambda column, c=chunk: _among(session, column, c), bucket, scope
            ),
        )
    return out


def _among(session: Session, column, ids: list[int]):
    """column IN (ids): on PostgreSQL as = ANY(one array parameter), which it plans far faster
    than a list of 2,000 parameters."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def _merge(into: Tally, other: Tally, sign: int = 1) -> Tally:
    for item, (n, amount) in other.items():
        slot = into.setdefault(item, [0, 0])
        slot[0] += sign * n
        slot[1] += sign * amount
    return into


# --- counting an office ----------------------------------------------------------------------


def compute(office_id: int, batch: int = 5000, bucket=month_of):
    """An office's tallies counted from its cases, by id ranges (memory stays small): one
    Tally per range (`bucket`: dated by month, or by day with day_of)."""
    last = 0
    while True:
        ids = db.session.scalars(
            select(Case.id)
            .where(Case.office_id == office_id, Case.id > last)
            .order_by(Case.id)
            .limit(batch)
        ).all()
        if not ids:
            return
        low, high = ids[0], ids[-1]
        yield _contributions(
            db.session(),
            Case.id.between(low, high) & (Case.office_id == office_id),
            lambda column, low=low, high=high: column.between(low, high),
            bucket,
        )
        last = high


def by_month(days: Tally, into: Tally | None = None) -> Tally:
    """Day-dated contributions added up by month: what the monthly tallies hold."""
    out: Tally = {} if into is None else into
    for (office_id, user_id, measure, day, *rest), (n, amount) in days.items():
        slot = out.setdefault((office_id, user_id, measure, month_of(day), *rest), [0, 0])
        slot[0] += n
        slot[1] += amount
    return out
