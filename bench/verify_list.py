"""Check that the case list answers exactly like the plain query it replaces, on a seeded database.

    .venv/bin/python bench/verify_list.py --database-url sqlite:////tmp/bench20k.db

`portal.services.case_list.list_cases` picks among several query shapes (see portal/services/search.py)
by the counts it finds. The test suite's small databases only ever reach the "rare word" shape, so
this script compares every shape with a straightforward reference (visibility, filters, one
`IN (SELECT case_id ...)` per word, an uncapped count) for many users, filters, sorts, pages and
words, with the thresholds as shipped and forced low and high. It prints the first differences
and exits 1 if there are any. Best on a small seed (20,000 cases): the reference is slow.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'bench.db'}"


def reference(user, f, per_page=25):
    """The list as the first version computed it: simple, and slow on a large office."""
    from portal.extensions import db
    from portal.models import Case, CaseSearchTerm
    from portal.services import access, search
    from portal.services.case_list import SORTS, count_cap
    from portal.services.timeutil import day_start_utc

    query = access.visible_cases(user)
    for word in search.query_words(f.q):
        upper = word[:-1] + chr(ord(word[-1]) + 1)
        query = query.where(
            Case.id.in_(
                select(CaseSearchTerm.case_id).where(
                    CaseSearchTerm.office_id == user.office_id,
                    CaseSearchTerm.token >= word,
                    CaseSearchTerm.token < upper,
                )
            )
        )
    if f.status == "open":
        query = query.where(Case.status != "closed")
    elif f.status:
        query = query.where(Case.status == f.status)
    if f.category.startswith("P:"):
        query = query.where(Case.ppks_code == f.category[2:])
    elif f.category.startswith("L:") and f.category[2:].isdigit():
        query = query.where(Case.local_type_id == int(f.category[2:]))
    if f.worker == "none":
        query = query.where(Case.assigned_to_id.is_(None))
    elif f.worker.isdigit():
        query = query.where(Case.assigned_to_id == int(f.worker))
    if f.district:
        query = query.where(Case.district_code == f.district)
    # the days begin and end at the office, as the list's date filters take them
    zone = user.office.timezone
    if f.date_from:
        query = query.where(Case.reported_at >= day_start_utc(f.date_from, zone))
    if f.date_to:
        query = query.where(Case.reported_at < day_start_utc(f.date_to + timedelta(1), zone))
    query = _person_reference(query, user, f)
    full = db.session.scalar(select(func.count()).select_from(query.subquery()))
    # how far the list counts (the unknown filter's marker is not a typed word)
    found = search.plan(user.office_id, f.q, f.unknown_only) if f.q or f.unknown_only else None
    cap = count_cap(found)
    total = min(full, cap)
    page = max(1, min(f.page, max(1, -(-total // per_page))))
    ids = db.session.scalars(
        query.with_only_columns(Case.id)
        .order_by(*SORTS.get(f.sort, SORTS["newest"]))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return total, full > cap, page, list(ids)


def _person_reference(query, user, f):
    """The filters on the person as the plain query: the person's own columns."""
    from portal.models import Case, Person
    from portal.services.timeutil import day_start_utc, office_today

    people = select(Person.id).where(Person.office_id == user.office_id)
    if f.unknown:
        people = people.where(Person.identity_known.is_(False))
    zone = user.office.timezone
    if f.found_from:
        people = people.where(Person.found_at >= day_start_utc(f.found_from, zone))
    if f.found_to:
        people = people.where(Person.found_at < day_start_utc(f.found_to + timedelta(1), zone))
    year = office_today(user.office).year
    if f.age_min is not None:
        people = people.where(
            (Person.birth_year <= year - f.age_min)
            | (Person.birth_year.is_(None) & (Person.estimated_age >= f.age_min))
        )
    if f.age_max is not None:
        people = people.where(
            (Person.birth_year >= year - f.age_max)
            | (Person.birth_year.is_(None) & (Person.estimated_age <= f.age_max))
        )
    if f.sex:
        people = people.where(Person.sex == f.sex)
    return query.where(Case.person_id.in_(people)) if f.about_the_person else query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--shipped-only", action="store_true", help="Only the thresholds as shipped (faster)"
    )
    args = parser.parse_args()

    from portal import create_app
    from portal.extensions import db
    from portal.models import Case, LocalCaseType, Person, User
    from portal.services import case_list, search

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        s = db.session
        users = [
            s.scalar(select(User).where(User.username == name))
            for name in ("manajer1", "pekerja01", "pekerja17")
        ]
        odgj = s.scalar(select(LocalCaseType.id).where(LocalCaseType.name == "ODGJ terlantar"))
        worker_id = users[2].id
        max_id = s.scalar(select(func.max(Case.id)))
        person = s.scalar(
            select(Person)
            .join(Case, Case.person_id == Person.id)
            .where(Case.id >= max_id // 2, Person.nik.is_not(None), Person.phone.is_not(None))
            .limit(1)
        )
        number = s.scalar(select(Case.number).where(Case.id == max_id // 3))
        newest = s.scalar(select(func.max(Case.created_at))).date()
        words = [
            "",
            "muhammad",
            "muh andi",
            "siti rahman",
            "ha",
            "a",
            "zzzq",
            person.full_name.lower() or "andi",
            person.nik,
            person.nik[:6],
            person.nik[:10],
            number,
            "0" + person.phone[3:],
            "kaos biru",  # the descriptions of people found without a name (issue 13)
            "bekas luka di pelipis",
            "tanpa identitas",
        ]
        filters = [
            {},
            {"status": "open"},
            {"status": "closed"},
            {"category": "P:11"},
            {"category": f"L:{odgj}"},
            {"worker": str(worker_id)},
            {"worker": "none"},
            {"district": "73.71.09"},
            {"date_from": newest - timedelta(days=400), "date_to": newest - timedelta(days=340)},
            {"status": "in_progress", "district": "73.71.10"},
            # the filters on the person (the unknown alone answers from the search index)
            {"unknown": True},
            {"unknown": True, "status": "open"},
            {"unknown": True, "sex": "L", "age_min": 20, "age_max": 40},
            {"unknown": True, "found_from": newest - timedelta(days=400)},
            {"sex": "P"},
            {"age_min": 30, "age_max": 40},
            {"age_min": 30, "age_max": 40, "sex": "P", "status": "open"},
            {"age_min": 75},
            {"age_max": 10, "worker": str(worker_id)},
        ]
        sorts_pages = [("newest", 1), ("oldest", 2), ("reported", 1), ("number", 3)]
        settings = [
            ("as shipped", search.LEAD_MAX, search.PRECOUNT_CAP),
            ("common words", 0, search.PRECOUNT_CAP),  # never 'selective'
            ("small caps", 0, 5),  # counts capped: leader by length
            ("all rare", 10**9, 10**9),  # always 'selective'
        ]
        if args.shipped_only:
            settings = settings[:1]
        checked = failures = 0
        shipped = (search.LEAD_MAX, search.PRECOUNT_CAP)
        try:
            for label, lead_max, cap in settings:
                search.LEAD_MAX, search.PRECOUNT_CAP = lead_max, cap
                combos = itertools.product(users, words, filters, sorts_pages)
                for user, q, extra, (sort, page) in combos:
                    if q and extra and sort != "newest":
                        continue  # keep the run short: all filters with newest, sorts without
                    f = case_list.CaseFilters(q=q, sort=sort, page=page, **extra)
                    got = case_list.list_cases(user, f)
                    mine = (got.total, got.capped, got.page, [c.id for c in got.items])
                    ref = reference(user, f)
                    checked += 1
                    if mine != ref:
                        failures += 1
                        if failures <= 10:
                            print(f"DIFF [{label}] {user.username} {f}:\n  got {mine}\n  ref {ref}")
                    s.rollback()
        finally:
            search.LEAD_MAX, search.PRECOUNT_CAP = shipped
    print(f"{checked} lists compared, {failures} differences")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
