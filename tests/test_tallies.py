"""The monthly and day tallies behind the manager's dashboard and reports: kept right by every
workflow (compared with a fresh count of the cases), untouched by a rolled-back change, rebuilt
by `flask rebuild-tallies`, and giving the same report as counting the cases one by one."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import Case, CaseDayTally, CaseTally, LocalCaseType, Office, User
from portal.services import (
    access,
    admin,
    cases,
    dashboard,
    tallies,
    tally_counts,
    tally_days,
    tally_reads,
    workflow,
)
from portal.services import reports as service
from portal.services.intake import CASE_FIELDS
from portal.services.timeutil import utcnow

from .conftest import office_today


def stored_total(office_id, measure):
    """The office's own count (user 0) of a measure, all months."""
    return sum(n for item, (n, _) in tallies.stored(office_id).items() if item[1:3] == (0, measure))


@pytest.fixture
def demo(runner):
    """The demo office: referrals in every state, letters, follow-ups, aid, closures, reopened
    cases, all made through the services."""
    result = runner.invoke(args=["seed-demo", "--cases", "40"])
    assert result.exit_code == 0, result.output
    office = db.session.scalar(select(Office).where(Office.code == "makassar"))
    manager = db.session.scalar(select(User).where(User.username == "manajer"))
    return office, manager


def test_edits_and_a_remapped_case_type_move_the_counts_a_rollback_does_not(demo):
    office, manager = demo
    case = db.session.scalar(
        select(Case).where(Case.office_id == office.id, Case.status == "in_progress").limit(1)
    )
    before = stored_total(office.id, "disaster")
    values = {name: getattr(case, name) for name in CASE_FIELDS}
    values |= {"ppks_code": "21", "local_type_id": None, "disaster_type": "flood",
               "event_date": date(2026, 11, 1), "event_place": "Tallo"}  # fmt: skip
    cases.update_case(case, manager, values, case.version_id)
    db.session.commit()
    assert stored_total(office.id, "disaster") == before + 1
    assert tallies.differences(office.id) == {}

    odgj = db.session.scalar(
        select(LocalCaseType).where(
            LocalCaseType.office_id == office.id, LocalCaseType.name == "ODGJ terlantar"
        )
    )
    moved = db.session.scalar(
        select(db.func.count()).select_from(Case).where(Case.local_type_id == odgj.id)
    )
    assert moved > 0
    admin.save_case_type(odgj, {"ppks_code": "22"})  # now counted as disaster victims
    db.session.commit()
    assert stored_total(office.id, "disaster") == before + 1 + moved
    assert tallies.differences(office.id) == {}

    # a case given to another social worker moves to their figures
    other = db.session.scalar(
        select(User).where(
            User.office_id == office.id, User.role == "worker", User.id != case.assigned_to_id
        )  # fmt: skip
    )
    mine_before = sum(
        n for item, (n, _) in tallies.stored(office.id).items() if item[1] == other.id
    )
    cases.assign(case, manager, other)
    db.session.commit()
    assert (
        sum(n for item, (n, _) in tallies.stored(office.id).items() if item[1] == other.id)
        > mine_before
    )
    assert tallies.differences(office.id) == {}

    # a change rolled back leaves them alone
    kept = tallies.stored(office.id)
    case = db.session.scalar(select(Case).where(Case.office_id == office.id).limit(1))
    case.ppks_code = "04" if case.ppks_code != "04" else "05"
    case.local_type_id = None
    db.session.flush()
    workflow.set_workflow_fields(case, status="closed", closed_at=utcnow())
    db.session.rollback()
    assert tallies.stored(office.id) == kept
    assert tallies.differences(office.id) == {}


def periods() -> list:
    """Whole, partial and one-day periods around the demo's activity (dated back from today):
    the days at a partial month's edge are read from the day tallies, the fewer of a month's
    days or the month less the others (a short and a long part of one month, both here)."""
    today = office_today()
    year_ago = today - timedelta(365)
    last_month = (today.replace(day=1) - timedelta(1)).replace(day=1)
    month_end = today.replace(day=1) - timedelta(1)
    return [
        service.Period(year_ago, today),  # the demo's last year: every measure has figures
        service.Period.year(today.year),
        service.Period.year(today.year - 1),
        service.Period.quarter(year_ago.year, (year_ago.month - 1) // 3 + 1),
        service.Period.month(today.year, today.month),
        service.Period.month(last_month.year, last_month.month),
        service.Period(today - timedelta(280), today - timedelta(80)),  # partial at both ends
        service.Period(today - timedelta(40), today - timedelta(40)),  # one day
        service.Period(year_ago.replace(day=1), today),  # whole months, then a partial one
        service.Period(last_month + timedelta(3), last_month + timedelta(9)),  # within a month
        service.Period(last_month + timedelta(1), month_end - timedelta(1)),  # most of a month
        service.Period(date(today.year - 1, 12, 20), date(today.year, 1, 10)),  # a year's end
        service.Period(date(today.year - 1, 2, 10), date(today.year - 1, 11, 20)),
        service.Period(last_month, last_month),  # one day: the first of a month
        service.Period(month_end, month_end),  # and the last
    ]


def test_the_demo_workflows_keep_the_tallies_and_reports_equal_counting_the_cases(demo):
    office, manager = demo
    assert tallies.differences(office.id) == {}
    counted = db.session.scalar(
        select(db.func.count()).select_from(Case).where(Case.office_id == office.id)
    )
    assert stored_total(office.id, "new") == counted
    for measure in ("ended", "closed", "referred", "handed", "returned", "aid"):
        assert stored_total(office.id, measure) > 0, measure

    districts = db.session.scalars(
        select(Case.district_code).where(Case.office_id == office.id).distinct().limit(2)
    ).all()
    workers = db.session.scalars(
        select(User).where(User.office_id == office.id, User.role == "worker")
    ).all()
    assert len(workers) >= 2

    chosen = periods()

    def reports():
        office_wide = [service.build(manager, p, d) for p in chosen for d in (None, *districts)]
        own = [service.build(w, p) for p in chosen for w in workers]
        return office_wide + own

    tallied = reports()
    db.session.execute(update(Office).where(Office.id == office.id).values(tallied_at=None))
    db.session.refresh(office)
    for w in workers:
        db.session.refresh(w)
    counted = reports()
    for a, b in zip(tallied, counted, strict=True):
        assert [vars(r) for r in a.rows] == [vars(r) for r in b.rows], a.period
        assert vars(a.total) == vars(b.total), a.period
        assert (a.returned_home, a.disasters, a.aid) == (b.returned_home, b.disasters, b.aid)
        assert a.aid_goods == b.aid_goods, a.period
        assert a.summary == b.summary
    last_year = tallied[0]
    assert last_year.total.new and last_year.total.active and last_year.total.closed_total
    assert last_year.total.referred_total and last_year.aid and last_year.aid_goods
    own = tallied[len(chosen) * (1 + len(districts))]
    assert 0 < own.total.new < last_year.total.new  # a social worker's own, not the office's


def test_rebuild_tallies_command(factory, runner):
    office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
    factory.office(code="balikpapan", name="Dinas Sosial Kota Balikpapan", region_code="64.71")
    worker = factory.user(office, "worker", "pekerja")
    for day in (1, 2, 3):
        factory.case(office, worker, ppks_code="04", reported_at=datetime(2026, 10, day, 9))
    db.session.execute(update(Office).where(Office.id == office.id).values(tallied_at=None))
    db.session.execute(update(CaseTally).where(CaseTally.office_id == office.id).values(n=0))
    db.session.commit()
    # untallied: not kept, and the reports count the cases (checked above); then rebuilt
    result = runner.invoke(args=["rebuild-tallies", "--if-needed"])
    assert result.exit_code == 0, result.output
    assert "makassar:" in result.output and "balikpapan" not in result.output
    assert db.session.scalar(select(Office.tallied_at).where(Office.id == office.id))
    assert runner.invoke(args=["rebuild-tallies", "--check"]).exit_code == 0
    # a tally gone wrong is found by --check (and mended by a rebuild)
    db.session.execute(
        update(CaseTally)
        .where(CaseTally.office_id == office.id, CaseTally.measure == "new")
        .values(n=CaseTally.n + 1)
    )
    db.session.commit()
    check = runner.invoke(args=["rebuild-tallies", "--check", "--office", "makassar"])
    assert check.exit_code == 1 and "differ from a fresh count" in check.output
    assert runner.invoke(args=["rebuild-tallies", "--office", "makassar"]).exit_code == 0
    assert tallies.differences(office.id) == {}


@pytest.mark.office_clock
def test_a_new_office_starts_with_built_tallies_and_counts_its_first_case(factory):
    office = factory.office(code="pare", name="Dinas Sosial Kota Parepare", region_code="73.72")
    assert office.tallied_at is not None
    worker = factory.user(office, "worker", "pare_pekerja")
    factory.case(office, worker, ppks_code="04", reported_at=datetime(2026, 11, 2, 9))
    wide, present = tally_counts.OFFICE_WIDE, tally_counts.STATE_MONTH
    assert tallies.stored(office.id) == {
        (office.id, 0, "new", date(2026, 11, 1), "04", 0, "73.71.01", ""): [1, 0],
        (office.id, wide, "new", date(2026, 11, 1), "04", 0, "", ""): [1, 0],
        (office.id, worker.id, "new", date(2026, 11, 1), "04", 0, "", ""): [1, 0],
        # the office's and the social worker's counts of the present: open by category, by
        # assigned worker
        (office.id, wide, "open", present, "04", 0, "", ""): [1, 0],
        (office.id, wide, "load", present, "", 0, "", str(worker.id)): [1, 0],
        (office.id, worker.id, "open", present, "04", 0, "", ""): [1, 0],
        (office.id, worker.id, "load", present, "", 0, "", str(worker.id)): [1, 0],
    }
    assert utcnow() - office.tallied_at < timedelta(minutes=5)


def _fresh_days(fresh, office_id, scope, first, last, district=None):
    """The fresh day-by-day count (each case's contributions) summed over first..last."""
    out = {}
    for item, (n, amount) in fresh.items():
        if item[1] != scope or not first <= item[3] <= last:
            continue
        if item[2] in tally_counts.WIDE_ONLY:  # the dashboards', not a report's
            continue
        if district and item[6] != district:
            continue
        key = (office_id, scope, item[2], first, *item[4:])
        slot = out.setdefault(key, [0, 0])
        slot[0] += n
        slot[1] += amount
    return {k: v for k, v in out.items() if v[0] or v[1]}


def test_days_counted_by_the_database_equal_a_fresh_count_of_each_case(demo):
    """Partial months (10 Feb - 20 Nov and the like) are counted by GROUP BY in the database:
    every measure equals what each case contributes, counted one by one, for the office, a
    kecamatan and each social worker's own cases."""
    office, manager = demo
    ids = db.session.scalars(select(Case.id).where(Case.office_id == office.id)).all()
    fresh = tally_counts.contributions(db.session(), ids, tally_counts.day_of)
    workers = db.session.scalars(
        select(User).where(User.office_id == office.id, User.role == "worker")
    ).all()
    district = db.session.scalar(
        select(Case.district_code).where(Case.office_id == office.id).limit(1)
    )
    today = office_today()
    chosen = [(p.start, p.end) for p in periods()]
    chosen.append((date(today.year - 1, 2, 10), date(today.year - 1, 11, 20)))
    seen = set()
    for first, last in chosen:
        got = tally_days.counted_between(office.id, first, last)
        assert got == _fresh_days(fresh, office.id, 0, first, last), (first, last)
        seen |= {item[2] for item in got}
        got = tally_days.counted_between(office.id, first, last, district)
        assert got == _fresh_days(fresh, office.id, 0, first, last, district), (first, last)
        for w in workers:
            own = tally_days.counted_between(
                office.id, first, last, within=access.counted_ids(w), scope=w.id
            )
            assert own == _fresh_days(fresh, office.id, w.id, first, last), (w.username, first)
    assert seen == set(tally_counts.MEASURES)


def _fresh_sums(fresh, office_id, scope, first, last, district=None) -> dict:
    """_fresh_days as read_days answers: {(measure, ppks_code, local_type_id, key): [n, amount]}."""
    out: dict = {}
    for item, (n, amount) in _fresh_days(fresh, office_id, scope, first, last, district).items():
        slot = out.setdefault((item[2], item[4], item[5], item[7]), [0, 0])
        slot[0] += n
        slot[1] += amount
    return {k: v for k, v in out.items() if v[0] or v[1]}


def test_the_day_tallies_of_any_days_of_a_month_equal_a_fresh_count(demo):
    """The days of a report at a month's edge, read from the day tallies (the days themselves,
    or their month less the other days), equal what each case contributes counted one by one:
    for the office, a kecamatan and each social worker's own cases; a report then equals
    counting the cases (test above) for ranges within a month, across a year's end, one day."""
    office, manager = demo
    ids = db.session.scalars(select(Case.id).where(Case.office_id == office.id)).all()
    fresh = tally_counts.contributions(db.session(), ids, tally_counts.day_of)
    assert tallies.stored(office.id, CaseDayTally) == {
        k: v for k, v in fresh.items() if v[0] or v[1]
    }
    workers = db.session.scalars(
        select(User).where(User.office_id == office.id, User.role == "worker")
    ).all()
    district = db.session.scalar(
        select(Case.district_code).where(Case.office_id == office.id).limit(1)
    )
    busiest = max({item[3] for item in fresh if item[1] == 0 and item[2] == "new"})
    month = busiest.replace(day=1)
    end = (month + timedelta(32)).replace(day=1) - timedelta(1)
    chosen = [
        (month, busiest),
        (busiest, end),
        (busiest, busiest),
        (month + timedelta(1), end - timedelta(1)),  # the month less its first and last day
        (month + timedelta(2), month + timedelta(4)),
        (month, end),
    ]
    seen = set()

    def read(first, last, district=None, user_id=0):
        rows = tally_reads.read_days(office.id, first, last, district, user_id=user_id)
        return {tuple(row[:4]): [row[4], row[5]] for row in rows}

    for first, last in chosen:
        got = read(first, last)
        assert got == _fresh_sums(fresh, office.id, 0, first, last), (first, last)
        seen |= {key[0] for key in got}
        assert read(first, last, district) == _fresh_sums(
            fresh, office.id, 0, first, last, district
        )
        for w in workers:
            own = read(first, last, user_id=w.id)
            assert own == _fresh_sums(fresh, office.id, w.id, first, last), (w.username, first)
    assert "new" in seen


def test_day_tallies_after_the_migration_rebuilt_by_if_needed(factory, runner):
    """Migration 0027 adds the (empty) day tallies and marks offices with cases untallied:
    their reports count the cases until `flask rebuild-tallies --if-needed` has built both."""
    from flask_migrate import downgrade, upgrade

    office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
    empty = factory.office(
        code="balikpapan", name="Dinas Sosial Kota Balikpapan", region_code="64.71"
    )
    manager = factory.user(office, "manager", "manajer")
    worker = factory.user(office, "worker", "pekerja")
    for day in (9, 10, 28):
        factory.case(office, worker, ppks_code="04", reported_at=datetime(2026, 2, day, 9))
    period = service.Period(date(2026, 2, 10), date(2026, 2, 20))
    before = service.build(manager, period)
    assert before.total.new == 1
    db.session.commit()
    db.session.remove()
    downgrade(revision="0026")
    upgrade()
    assert db.session.scalar(select(db.func.count()).select_from(CaseDayTally)) == 0
    assert db.session.get(Office, office.id).tallied_at is None
    assert db.session.get(Office, empty.id).tallied_at is not None
    manager = db.session.get(User, manager.id)
    assert vars(service.build(manager, period).total) == vars(before.total)  # counted
    result = runner.invoke(args=["rebuild-tallies", "--if-needed"])
    assert result.exit_code == 0, result.output
    assert "makassar:" in result.output and "balikpapan" not in result.output
    assert tallies.differences(office.id) == {}
    days = tallies.stored(office.id, CaseDayTally)
    dated = [day for (_o, u, _m, day, *_rest) in days if u != tally_counts.OFFICE_WIDE]
    assert sorted(day for day in dated if day.year > 1900) == [
        date(2026, 2, 9), date(2026, 2, 9), date(2026, 2, 10), date(2026, 2, 10),
        date(2026, 2, 28), date(2026, 2, 28),
    ]  # fmt: skip
    manager = db.session.get(User, manager.id)
    assert vars(service.build(manager, period).total) == vars(before.total)  # from the tallies


def _present(manager) -> tuple:
    """What a dashboard (a manager's, or a social worker's) shows of the present: open by
    category, open in all, cases with a referral waiting, open cases by assigned worker, cases
    with a referral approved this month by kind."""
    board = dashboard.build(manager, office_today())
    return (
        {f.label: f.value for f in board.open_by_category},
        board.open_total.value,
        board.waiting.value,
        [(f.label, f.value, f.args) for f in board.caseload],
        [(f.label, f.value, f.args) for f in board.approved_by_kind],
        [(f.label, f.value) for f in board.overdue_by_worker],
    )


def _present_counted(manager) -> tuple:
    """The same counted from the cases (as for an office whose tallies are not built)."""
    office = manager.office
    kept, office.tallied_at = office.tallied_at, None
    try:
        return _present(manager)
    finally:
        office.tallied_at = kept


def _wide_sums(rows: dict, user_id: int) -> dict:
    """The dated counts of user 0 (by kecamatan) or OFFICE_WIDE added up without the kecamatan."""
    out: dict = {}
    for (_office, user, measure, when, ppks_code, local_type_id, _district, key), (
        n,
        amount,
    ) in rows.items():
        if user == user_id and measure not in tally_counts.WIDE_ONLY:
            slot = out.setdefault((measure, when, ppks_code, local_type_id, key), [0, 0])
            slot[0] += n
            slot[1] += amount
    return {k: v for k, v in out.items() if v[0] or v[1]}


def test_the_office_wide_counts_add_up_its_kecamatan_and_the_present_equals_its_cases(demo):
    """The office's rows over every kecamatan (what its dashboard and reports read) are its
    kecamatan's added up, by month and by day; its counts of the present (open by category,
    open by worker, cases with a referral waiting) are what counting the cases shows."""
    office, manager = demo
    assert tallies.differences(office.id) == {}
    for model in (CaseTally, CaseDayTally):
        rows = tallies.stored(office.id, model)
        wide = _wide_sums(rows, tally_counts.OFFICE_WIDE)
        assert wide and wide == _wide_sums(rows, 0), model
        assert {item[2] for item in rows if item[2] in tally_counts.WIDE_ONLY} == {
            "open",
            "load",
            "waiting",
            "approved",
        }
        # the present is kept office-wide and by social worker, never by kecamatan (user 0)
        assert all(item[1] != 0 for item in rows if item[3].year == 1900)
    tallied = _present(manager)
    assert tallied == _present_counted(manager)
    assert tallied[1] > 0 and tallied[2] > 0 and len(tallied[3]) >= 2


def test_the_present_follows_referrals_assignments_closures_and_reopening(factory):
    """Each change that moves a case in or out of the office's counts of the present leaves
    them equal to counting the cases, and the tallies equal to a fresh count."""
    office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
    manager = factory.user(office, "manager", "manajer")
    first, second = factory.user(office, "worker", "pekerja1"), factory.user(office, "worker")
    mine = [factory.case(office, first, ppks_code="04") for _ in range(3)]
    theirs = factory.case(office, second, ppks_code="21", disaster_type="flood")
    factory.case(office, manager, ppks_code="04").assigned_to_id = None  # nobody's
    db.session.commit()

    def check(waiting: int, loads: dict) -> None:
        assert tallies.differences(office.id) == {}
        tallied = _present(manager)
        assert tallied == _present_counted(manager)
        assert tallied[2] == waiting
        assert {label: n for label, n, _args in tallied[3]} == loads

    nobody = "Belum ditugaskan"
    check(0, {first.full_name: 3, second.full_name: 1, nobody: 1})
    factory.referral(mine[0], "submitted")
    factory.referral(mine[0], "submitted", kind="placement")  # the case counted once
    factory.referral(mine[1], "returned", kind="placement")
    check(1, {first.full_name: 3, second.full_name: 1, nobody: 1})
    factory.referral(mine[1], "approved")
    factory.referral(mine[1], "completed")  # the case counted once for rsj this month
    assert [n for _label, n, args in _present(manager)[4] if args["referral_kind"] == "rsj"] == [1]
    waiting = factory.referral(theirs, "submitted", kind="placement")
    check(2, {first.full_name: 3, second.full_name: 1, nobody: 1})
    from portal.services import referrals

    referrals.reject(waiting, manager, "Belum perlu dirujuk.")
    db.session.commit()
    check(1, {first.full_name: 3, second.full_name: 1, nobody: 1})
    cases.assign(mine[2], manager, second)
    db.session.commit()
    check(1, {first.full_name: 2, second.full_name: 2, nobody: 1})
    factory.closure(mine[2], "closed", manager=manager)
    check(1, {first.full_name: 2, second.full_name: 1, nobody: 1})
    factory.closure(theirs, "reopened", manager=manager)
    check(1, {first.full_name: 2, second.full_name: 1, nobody: 1})
    assert _present(manager)[1] == 4


def test_office_wide_tallies_after_the_migration_rebuilt_by_if_needed(factory, runner):
    """Migration 0029 marks offices with cases untallied (their tallies lack the office-wide
    rows): the dashboard and reports count the cases until `--if-needed` has rebuilt them."""
    from flask_migrate import downgrade, upgrade

    office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
    empty = factory.office(
        code="balikpapan", name="Dinas Sosial Kota Balikpapan", region_code="64.71"
    )
    manager = factory.user(office, "manager", "manajer")
    worker = factory.user(office, "worker", "pekerja")
    for day in (9, 10, 28):
        factory.case(office, worker, ppks_code="04", reported_at=datetime(2026, 2, day, 9))
    period = service.Period(date(2026, 2, 10), date(2026, 2, 20))
    before, present = service.build(manager, period), _present(manager)
    assert before.total.new == 1 and present[1] == 3
    db.session.commit()
    db.session.remove()
    downgrade(revision="0028")
    wide = select(db.func.count()).select_from(CaseTally).where(CaseTally.user_id == -1)
    assert db.session.scalar(wide) == 0
    db.session.remove()
    upgrade()
    assert db.session.get(Office, office.id).tallied_at is None
    assert db.session.get(Office, empty.id).tallied_at is not None
    manager = db.session.get(User, manager.id)
    assert vars(service.build(manager, period).total) == vars(before.total)  # counted
    assert _present(manager) == present
    result = runner.invoke(args=["rebuild-tallies", "--if-needed"])
    assert result.exit_code == 0, result.output
    assert "makassar:" in result.output and "balikpapan" not in result.output
    assert tallies.differences(office.id) == {} and db.session.scalar(wide) > 0
    manager = db.session.get(User, manager.id)
    assert vars(service.build(manager, period).total) == vars(before.total)  # from the tallies
    assert _present(manager) == present


def test_a_social_workers_present_follows_every_change_of_their_cases(factory):
    """A social worker's own counts of the present (what their dashboard reads: the cases
    assigned to them or registered by them) equal counting their cases, and the stored tallies a
    fresh count and a fresh rebuild, after every kind of change: for the worker the cases are
    assigned to and for the one who registered them for someone else."""
    from portal.services import closure, merge, referrals, retention

    office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
    manager = factory.user(office, "manager", "manajer")
    handler, registrar = factory.user(office, "worker", "pekerja1"), factory.user(office, "worker")
    own = [factory.case(office, handler, ppks_code="04") for _ in range(2)]
    for_handler = [factory.case(office, registrar, ppks_code="21") for _ in range(3)]
    for case in for_handler:  # registered by one, handled by the other
        cases.assign(case, manager, handler)
    db.session.commit()
    workers = (handler, registrar)

    def check(open_total: dict, waiting: dict) -> None:
        assert tallies.differences(office.id) == {}
        for worker in workers:
            worker = db.session.get(User, worker.id)
            tallied = _present(worker)
            assert tallied == _present_counted(worker), worker.username
            assert (tallied[1], tallied[2]) == (open_total[worker], waiting[worker])

    check({handler: 5, registrar: 3}, {handler: 0, registrar: 0})
    sent = factory.referral(for_handler[0], "submitted")  # submit
    check({handler: 5, registrar: 3}, {handler: 1, registrar: 1})
    referrals.return_for_changes(sent, manager, "Lengkapi pengantar.")
    db.session.commit()
    check({handler: 5, registrar: 3}, {handler: 0, registrar: 0})
    referrals.submit(sent, handler)
    db.session.commit()
    referrals.reject(sent, manager, "Belum perlu dirujuk.")
    db.session.commit()
    check({handler: 5, registrar: 3}, {handler: 0, registrar: 0})
    factory.referral(for_handler[1], "approved")  # approval: counted once per case and kind
    factory.referral(for_handler[1], "completed", kind="placement")  # approval and handover
    approved = {args["referral_kind"]: n for _l, n, args in _present(registrar)[4] if n}
    assert approved == {"rsj": 1, "placement": 1}
    check({handler: 5, registrar: 3}, {handler: 0, registrar: 0})
    other = factory.user(office, "worker")
    cases.assign(for_handler[2], manager, other)  # reassigned: still the registrar's
    db.session.commit()
    loads = {label: n for label, n, _args in _present(registrar)[3]}
    assert loads == {handler.full_name: 2, other.full_name: 1}
    factory.followup(for_handler[2], overdue=True, by=manager)  # seen by the registrar
    assert _present(registrar)[5] == [(other.full_name, 1)] == _present(other)[5]
    assert _present(handler)[5] == []
    check({handler: 4, registrar: 3}, {handler: 0, registrar: 0})
    factory.closure(for_handler[0], "requested", manager=manager)  # status: closing
    check({handler: 4, registrar: 3}, {handler: 0, registrar: 0})
    factory.closure(own[0], "closed", manager=manager)  # closure
    check({handler: 3, registrar: 3}, {handler: 0, registrar: 0})
    closure.reopen(db.session.get(Case, own[0].id), manager, "Keluarga menolak.")  # reopen
    db.session.commit()
    check({handler: 4, registrar: 3}, {handler: 0, registrar: 0})
    kept, merged = own[1].person, for_handler[0].person  # merge: the cases stay theirs
    merge.merge(manager, kept, merged, {}, (kept.version_id, merged.version_id))
    db.session.commit()
    check({handler: 4, registrar: 3}, {handler: 0, registrar: 0})
    retention.anonymise(db.session.get(Case, for_handler[0].id), office_today())
    db.session.commit()
    check({handler: 4, registrar: 3}, {handler: 0, registrar: 0})
    kept_rows = tallies.stored(office.id)
    assert {item[1] for item in kept_rows if item[3].year == 1900} >= {handler.id, registrar.id}
    tallies.rebuild(office.id)
    db.session.commit()
    assert tallies.stored(office.id) == kept_rows


@pytest.mark.office_clock
def test_aid_in_kind_is_tallied_by_kind_and_unit(factory):
    """The report's quantities of aid in kind come from the tallies (by kind and unit), equal
    counting the period's aid, and follow a change of quantity or unit."""
    office = factory.office(code="makassar", name="Dinas Sosial Kota Makassar")
    manager = factory.user(office, "manager", "manajer")
    worker = factory.user(office, "worker", "pekerja")
    case = factory.case(office, worker, ppks_code="04")
    today = office_today()
    factory.aid(case, "food", quantity=10, unit="paket")
    factory.aid(case, "food", quantity=2, unit="dus")
    changed = factory.aid(case, "food", quantity=5, unit="paket")
    factory.aid(case, "transport_ticket", quantity=1, unit="tiket")
    factory.aid(case, "pocket_money", amount=150000)
    period = service.Period.month(today.year, today.month)

    def goods(user):
        tallied = service.build(user, period).aid_goods
        user.office.tallied_at, kept = None, user.office.tallied_at
        counted = service.build(user, period).aid_goods
        user.office.tallied_at = kept
        assert tallied == counted
        return tallied

    assert goods(manager) == {"food": "2 dus, 15 paket", "transport_ticket": "1 tiket"}
    assert goods(worker) == goods(manager)
    changed.quantity, changed.unit = 7, "dus"
    db.session.commit()
    assert tallies.differences(office.id) == {}
    assert goods(manager) == {"food": "9 dus, 10 paket", "transport_ticket": "1 tiket"}
