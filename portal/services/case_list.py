"""The case list: which cases a user sees for the list's filters, one page of them, sorted, and
how many there are (search words through services.search)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, false, func, select

from ..bounds import bounded_int
from ..extensions import db
from ..models import Case, Person, User
from ..models.cases import OPEN_STATUSES
from . import access, case_page, registry, search, workdays
from .timeutil import day_start_utc, office_today

SORTS = {
    "newest": (Case.created_at.desc(), Case.id.desc()),
    "oldest": (Case.created_at.asc(), Case.id.asc()),
    "reported": (Case.reported_at.desc(), Case.id.desc()),
    "number": (Case.number.desc(),),
}
COUNT_CAP = 10000
# Several common words: each match counted costs a probe of the other words' index entries
# (76 of 89 ms of SQL for "muh andi" at 500,000 cases), so such a search is counted no further
# than this and shows "Lebih dari 1.000 kasus; persempit pencarian."
COMMON_WORDS_COUNT_CAP = 1000


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    category: str = ""  # "P:08" (PPKS) or "L:3" (local case type)
    worker: str = ""  # user id, or "none"
    district: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "newest"
    page: int = 1
    # the dashboard's and the reports' links (services.reports): what is behind each number
    reason: str = ""  # closed with this reason ("none": no closure recorded)
    closed_from: date | None = None  # closed (Case.closed_at) in this range
    closed_to: date | None = None
    active_on: date | None = None  # reported by then and not closed at its end
    referral: str = ""  # "waiting" (submitted), "approved" (decided), "handover" (completed)
    referral_kind: str = ""
    ref_from: date | None = None  # decided (approved) / handed over (handover) in this range
    ref_to: date | None = None
    overdue: bool = False  # with a follow-up overdue
    disaster: str = ""  # disaster type
    # finding someone found without a name (issue 13)
    unknown: bool = False  # the person's identity is not known
    found_from: date | None = None  # found (Person.found_at) in this range
    found_to: date | None = None
    age_min: int | None = None  # age now: from the birth year, else the estimated age
    age_max: int | None = None
    sex: str = ""  # "L" or "P"
    registry: str = ""  # social-registry status (services.registry.FILTERS; "belum": not yet)

    @property
    def about_the_person(self) -> bool:
        return self.unknown or self._person_details

    @property
    def _person_details(self) -> bool:
        return bool(self.found_from or self.found_to or self.sex) or (
            self.age_min is not None or self.age_max is not None
        )

    @property
    def unknown_only(self) -> bool:
        """ "Identitas tidak diketahui" and no other filter on the person: answered by the
        search index's marker (search.words_for), like a word."""
        return self.unknown and not self._person_details


def _day(value: date, user: User) -> datetime:
    """Where `value` begins at the user's office, in stored (UTC) time."""
    return day_start_utc(value, user.office.timezone)


def closed_reason_filter(query, reason: str):
    """Cases whose current closure (approved or closed at once) has this reason."""
    from ..models import CaseClosure

    done = select(CaseClosure.case_id).where(CaseClosure.status.in_(("approved", "closed")))
    if reason == "none":
        return query.where(Case.id.not_in(done))
    return query.where(Case.id.in_(done.where(CaseClosure.reason == reason)))


def active_on_filter(query, day: date, user: User):
    """Reported by the end of `day` (at the user's office) and open then: open now, or closed
    after that day. (A case closed before `day` and reopened since counts as open: rare.)"""
    end = _day(day + timedelta(1), user)
    return query.where(
        Case.reported_at < end,
        Case.status.in_(OPEN_STATUSES) | ((Case.status == "closed") & (Case.closed_at >= end)),
    )


def _days(user: User, first: date | None, last: date | None) -> tuple:
    """Where the days first..last begin and end at the user's office (None: open-ended)."""
    start = _day(first, user) if first else None
    end = _day(last + timedelta(1), user) if last else None
    return start, end


def _in_range(query, column, low, high, *, inclusive: bool = False):
    """column from `low`, up to `high` (excluded unless `inclusive`), each only when given."""
    if low is not None:
        query = query.where(column >= low)
    if high is not None:
        query = query.where(column <= high if inclusive else column < high)
    return query


def _referral_cases(user: User, f: CaseFilters):
    """The ids of the cases with a referral waiting (submitted), approved (decided in the
    range) or handed over (in the range)."""
    from ..models import Referral

    refs = select(Referral.case_id).where(Referral.office_id == user.office_id)
    if f.referral_kind:
        refs = refs.where(Referral.kind == f.referral_kind)
    if f.referral == "waiting":
        return refs.where(Referral.status == "submitted")
    if f.referral == "approved":
        refs = refs.where(Referral.status.in_(("approved", "completed")))
        return _in_range(refs, Referral.decided_at, *_days(user, f.ref_from, f.ref_to))
    refs = refs.where(Referral.status == "completed")
    return _in_range(refs, Referral.handover_date, f.ref_from, f.ref_to, inclusive=True)


def _overdue_cases(user: User):
    from ..models import FollowUp

    cutoff = workdays.overdue_cutoff(office_today(user.office))
    return select(FollowUp.case_id).where(
        FollowUp.office_id == user.office_id,
        FollowUp.status == "open",
        FollowUp.due_date <= cutoff,
    )


def _extra_filters(query, user: User, f: CaseFilters):
    if f.reason:
        query = closed_reason_filter(query.where(Case.status == "closed"), f.reason)
    if f.closed_from or f.closed_to:
        query = query.where(Case.status == "closed")
        query = _in_range(query, Case.closed_at, *_days(user, f.closed_from, f.closed_to))
    if f.active_on:
        query = active_on_filter(query, f.active_on, user)
    if f.referral in ("waiting", "approved", "handover"):
        query = query.where(Case.id.in_(_referral_cases(user, f)))
    if f.overdue:
        query = query.where(Case.id.in_(_overdue_cases(user)))
    if f.disaster:
        query = query.where(Case.disaster_type == f.disaster)
    if f.registry in registry.FILTERS:
        query = registry.filter_cases(query, user.office_id, f.registry)
    return query


@dataclass
class CasePage:
    items: list[Case] | list[case_page.CaseRow]
    total: int
    capped: bool
    page: int
    per_page: int
    elsewhere: int = 0  # matches in colleagues' cases, which a worker is only told the number of

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _status_filter(query, status: str):
    if status == "open":
        # Not "!= 'closed'": an IN list seeks the open statuses in the status index instead of
        # reading past the (many) closed cases first.
        return query.where(Case.status.in_(OPEN_STATUSES))
    return query.where(Case.status == status) if status else query


def _category_filter(query, category: str):
    """ "P:08": a PPKS category; "L:3": a local case type."""
    kind, sep, value = category.partition(":")
    if kind == "P" and sep:
        return query.where(Case.ppks_code == value)
    if kind == "L" and value.isdigit():
        return query.where(Case.local_type_id == int(value))
    return query


def _worker_filter(query, worker: str):
    if worker == "none":
        return query.where(Case.assigned_to_id.is_(None))
    worker_id = bounded_int(worker)  # a number no user has is no filter
    return query if worker_id is None else query.where(Case.assigned_to_id == worker_id)


def _age_condition(low: int | None, high: int | None, year: int):
    """Aged low..high this year: born (Person.birth_year) in year - high .. year - low, or
    without a birth year, estimated so."""
    born, guessed = [], []
    if high is not None:
        born.append(Person.birth_year >= year - high)
        guessed.append(Person.estimated_age <= high)
    if low is not None:
        born.append(Person.birth_year <= year - low)
        guessed.append(Person.estimated_age >= low)
    return and_(*born) | (Person.birth_year.is_(None) & and_(*guessed))


def _person_filter(query, user: User, f: CaseFilters, in_order: bool = False):
    """The filters on who the person is: unidentified, found between dates, age, sex
    (`in_order`: for reading a page in the list's order, each case's person checked)."""
    if not f.about_the_person or f.unknown_only:
        return query  # unknown alone: the search index's marker says it (search.words_for)
    conditions = [Person.office_id == user.office_id]
    if f.unknown:
        conditions.append(Person.identity_known.is_(False))
    found_from, found_to = _days(user, f.found_from, f.found_to)
    if found_from is not None:
        conditions.append(Person.found_at >= found_from)
    if found_to is not None:
        conditions.append(Person.found_at < found_to)
    if f.age_min is not None or f.age_max is not None:
        year = office_today(user.office).year
        conditions.append(_age_condition(f.age_min, f.age_max, year))
    if f.sex in ("L", "P"):
        conditions.append(Person.sex == f.sex)
    if f.q:
        # the search words' index entries lead (search.lead_ids joins them by case id + 0):
        # each case's person is looked up in the list of these people
        return query.where(Case.person_id.in_(select(Person.id).where(*conditions)))
    if in_order:
        # more than the count's cap: the newest cases are met soon enough, each person
        # looked up by its key (a join would let the database read every such person and sort)
        return query.where(
            select(Person.id).where(Person.id == Case.person_id, *conditions).exists()
        )
    # A join, not "person_id IN (…)" built in full first (every man of the office): people
    # and their cases are read from indexes (migration 0028) and the count stops at its cap.
    return query.join(Person, Person.id == Case.person_id).where(*conditions)


def _narrowed(user: User, f: CaseFilters, cases=None, in_order: bool = False):
    """The cases this user may see (or `cases`), narrowed by every filter except the search
    words (`in_order`: shaped for reading in the list's order, see _person_filter)."""
    query = _status_filter(access.visible_cases(user) if cases is None else cases, f.status)
    query = _worker_filter(_category_filter(query, f.category), f.worker)
    if f.district:
        query = query.where(Case.district_code == f.district)
    query = _in_range(query, Case.reported_at, *_days(user, f.date_from, f.date_to))
    return _person_filter(_extra_filters(query, user, f), user, f, in_order)


def filtered_query(user: User, f: CaseFilters):
    """A select(Case) of the cases the list shows for these filters (unsorted)."""
    query = _narrowed(user, f)
    if search.typed_nothing(f.q):
        return query.where(false())
    if f.q or f.unknown_only:
        query = search.apply(query, user.office_id, f.q, unknown=f.unknown_only)
    return query


def _capped_count(ids, cap: int) -> int:
    """How many rows `ids` (a select of case ids) has, counting no further than `cap`."""
    return db.session.scalar(
        select(func.count()).select_from(ids.order_by(None).limit(cap).subquery())
    )


def count_cap(found) -> int:
    """How far the list counts: COUNT_CAP, or less for several words none of them rare."""
    if found is not None and found.typed > 1 and not found.selective:
        return COMMON_WORDS_COUNT_CAP
    return COUNT_CAP


def _is_whole_office(query, user: User) -> bool:
    """Whether `query` is exactly "every case of the user's office" (a manager, no filter)."""
    where = query.whereclause
    return where is not None and where.compare(Case.office_id == user.office_id)


def _counted(narrowed, user: User, found):
    """A select of the ids to count: the filtered cases, or with search words the smaller side
    (the word's index entries, or the filtered cases checked for the words)."""
    if found is None:
        return narrowed.with_only_columns(Case.id)
    if _is_whole_office(narrowed, user):
        return search.office_ids(found)
    if found.selective:
        return search.lead_ids(narrowed, found)
    few = _capped_count(narrowed.with_only_columns(Case.id), found.leader_count + 1)
    if few <= found.leader_count:
        return search.probe(narrowed, found).with_only_columns(Case.id)
    return search.lead_ids(narrowed, found)


def _elsewhere(user: User, f: CaseFilters, found, total: int, cap: int) -> int:
    """How many cases of the office that the user may not see match too (a worker's
    colleagues'), counted from the search index like the list's own count; 0 if not told."""
    if total > cap or access.sees_whole_office(user) or not access.works_cases(user):
        return 0  # a manager sees them all; an administrator searches no cases
    office = select(Case).where(Case.office_id == user.office_id)  # counted, never shown
    every = _capped_count(_counted(_narrowed(user, f, office), user, found), cap + 1)
    return max(0, every - total)


def list_cases(
    user: User, f: CaseFilters, per_page: int = 25, elsewhere: bool = False, rows: bool = False
) -> CasePage:
    """One page of the list and the number of cases (exact up to count_cap()).

    With search words, search.plan() counts each word's index entries first (one cheap query)
    and the page and the count are then built so that the smaller side drives: a rare word's
    cases are fetched and sorted; common words are checked while the list is read in order,
    and counted from the word's index entries, or from the filtered cases when those are
    fewer (a social worker's own cases, a narrow filter). With `elsewhere`, a social worker is
    also told how many of his colleagues' cases match (CasePage.elsewhere). With `rows`, the
    page's cases are CaseRows (what the list shows) rather than Case objects."""
    if search.typed_nothing(f.q):  # only titles ("Hj"): no case, not every case
        return CasePage(items=[], total=0, capped=False, page=1, per_page=per_page)
    narrowed = _narrowed(user, f)
    found = search.plan(user.office_id, f.q, f.unknown_only) if f.q or f.unknown_only else None
    cap = count_cap(found)
    total = _capped_count(_counted(narrowed, user, found), cap + 1)
    others = _elsewhere(user, f, found, total, cap) if elsewhere else 0
    capped = total > cap
    total = min(total, cap)
    page = max(1, min(f.page, max(1, -(-total // per_page))))
    if found is None:
        paged = _narrowed(user, f, in_order=True) if capped and f.about_the_person else narrowed
    elif not capped and found.lead_page(total, page * per_page):
        # Now that the count is known: a few matches are fetched from the leading word and
        # sorted; many are met soon enough while reading the list in its order.
        paged = search.lead(narrowed, found)
    else:
        paged = search.probe(narrowed, found)
    sort = f.sort if f.sort in SORTS else "newest"
    order = SORTS[sort]
    # The page's ids first (narrow rows, through the indexes), then those 25 cases in full.
    # Sorted after filtering, unless the list is the whole office: an index gives each order.
    after = found is None and not capped and not _is_whole_office(paged, user)
    ids = case_page.page_ids(paged, order, sorted_after=after)
    ids = ids.limit(per_page).offset((page - 1) * per_page)
    items = case_page.rows(ids, sort, order) if rows else case_page.cases(ids, order)
    return CasePage(items, total, capped, page, per_page, elsewhere=others)
