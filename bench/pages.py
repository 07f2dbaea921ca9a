"""Measure the case list, search and case file against a database built by bench/seed_large.py.

    .venv/bin/python bench/pages.py                            # bench/bench.db
    .venv/bin/python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/simpul_bench
    .venv/bin/python bench/pages.py --only search --explain    # also print each query's plan

Requests go through Flask's test client (no network, no WSGI server): "median/p95 ms" is the wall
time around `client.get()`: routing, SQL, ORM and template rendering. "cpu ms" is this process's
CPU time for the request (with SQLite that includes the database's work, and it is not inflated
when other programs compete for the CPUs). "sql ms" is the time inside the driver's execute()
(with SQLite, up to the first row), "queries" the number of SQL statements the request sent
(transaction control such as the app's SQLite "BEGIN IMMEDIATE" not counted).
Nothing is asserted: the figures are printed, and the targets are judged by whoever reads them.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy  # noqa: E402
from sqlalchemy import event, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'bench.db'}"
PASSWORD = "bench1234"
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)
COUNT_RE = re.compile(r'<p class="count" role="status">\s*(.*?)\s*</p>', re.S)


@dataclass
class Scenario:
    name: str
    who: str  # "manager" or "worker"
    url: str
    note: str = ""
    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)
    sql_times: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    result: str = ""


class SqlMeter:
    """Counts statements and time spent in the driver; optionally keeps the statements."""

    def __init__(self, engine):
        self.count = 0
        self.seconds = 0.0
        self.keep = False
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self, keep: bool = False) -> None:
        self.count, self.seconds, self.keep, self.statements = 0, 0.0, keep, []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        if not TRANSACTION_CONTROL.match(statement):  # the app's SQLite "BEGIN IMMEDIATE"
            self.count += 1
        conn.info["bench_t0"] = time.perf_counter()
        if self.keep:
            self.statements.append((statement, parameters))

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.seconds += time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def local_phone(phone: str) -> str:
    digits = "0" + phone[3:] if phone.startswith("+62") else phone
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


def machine_notes(engine) -> list[str]:
    notes = [f"python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}"]
    with engine.connect() as conn:
        built = conn.scalar(text("SELECT version FROM reference_data WHERE name = 'bench_seed'"))
    notes.append(f"database built by bench/seed_large.py: {built or 'no (not a bench database)'}")
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    notes.append(f"{os.cpu_count()} CPUs {cpu}, {mem}".strip(", "))
    url = engine.url
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            import sqlite3

            path = url.database
            size = sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
            stat = conn.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            )
            notes.append(
                f"SQLite {sqlite3.sqlite_version}, file {path}, {size / 1024**2:,.0f} MB, "
                f"sqlite_stat1 {'present (ANALYZE was run)' if stat else 'absent (no ANALYZE)'}"
            )
        else:
            version = conn.scalar(text("SHOW server_version"))
            size = conn.scalar(text("SELECT pg_database_size(current_database())"))
            notes.append(f"PostgreSQL {version}, database {url.database}, {size / 1024**2:,.0f} MB")
    return notes


def discover(app) -> dict:
    """Pick the people, cases and words the scenarios use (outside the measurement)."""
    from portal.extensions import db
    from portal.models import (
        Case,
        CaseClosure,
        CaseEvent,
        CaseSearchTerm,
        LocalCaseType,
        Office,
        Person,
        Referral,
        User,
    )

    s = db.session
    office = s.scalar(select(Office).where(Office.code == "makassar"))
    if office is None:
        raise SystemExit("No benchmark office: run bench/seed_large.py first.")
    max_id = s.scalar(select(func.max(Case.id)))
    total = s.scalar(select(func.count()).select_from(Case))
    manager = s.scalar(select(User).where(User.username == "manajer1"))
    worker = s.scalar(select(User).where(User.username == "pekerja01"))
    other_worker = s.scalar(select(User).where(User.username == "pekerja07"))
    odgj = s.scalar(
        select(LocalCaseType).where(
            LocalCaseType.office_id == office.id, LocalCaseType.name == "ODGJ terlantar"
        )
    )

    def case_with_person(start_id: int, condition):
        return s.execute(
            select(Case, Person)
            .join(Person, Case.person_id == Person.id)
            .where(Case.id >= start_id, condition)
            .order_by(Case.id)
            .limit(1)
        ).first()

    nik_case, nik_person = case_with_person(max_id // 2, Person.nik.is_not(None))
    _, phone_person = case_with_person(max_id // 3, Person.phone.is_not(None))
    number = s.scalar(select(Case.number).where(Case.id >= (max_id * 2) // 3).limit(1))
    _, named = case_with_person(
        (max_id * 3) // 4, Person.full_name.like("% % %") & Person.full_name.not_like("%.%")
    )
    newest = s.scalar(select(func.max(Case.created_at)))
    month = date(newest.year - 1, newest.month, 1)
    month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rare = s.execute(
        select(CaseSearchTerm.token, func.count())
        .where(
            CaseSearchTerm.office_id == office.id,
            CaseSearchTerm.token >= "ka",
            CaseSearchTerm.token < "kb",
            func.length(CaseSearchTerm.token) >= 6,
        )
        .group_by(CaseSearchTerm.token)
        .having(func.count().between(1, 3))
        .limit(1)
    ).first()
    counts = (
        select(CaseEvent.case_id, func.count().label("n"))
        .where(CaseEvent.case_id >= max_id // 2, CaseEvent.case_id < max_id // 2 + 200)
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    short_case = s.scalar(
        select(counts.c.case_id).where(counts.c.n.between(2, 4)).order_by(counts.c.case_id)
    )
    long_counts = (
        select(CaseEvent.case_id, func.count().label("n")).group_by(CaseEvent.case_id).subquery()
    )
    long_case, long_n = s.execute(
        select(long_counts.c.case_id, long_counts.c.n).order_by(long_counts.c.n.desc()).limit(1)
    ).first()
    short_n = s.scalar(
        select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == short_case)
    )
    waiting = s.scalar(
        select(func.count())
        .select_from(Referral)
        .where(Referral.office_id == office.id, Referral.status == "submitted")
    ) + s.scalar(
        select(func.count())
        .select_from(CaseClosure)
        .where(CaseClosure.office_id == office.id, CaseClosure.status == "requested")
    )
    return {
        "total": total,
        "desk_pages": max(1, -(-waiting // 25)),
        "manager": manager.username,
        "worker": worker.username,
        "other_worker_id": other_worker.id,
        "odgj": odgj.id,
        "nik": nik_person.nik,
        "nik_case": nik_case.id,
        "phone": local_phone(phone_person.phone),
        "number": number,
        "rare": rare[0] if rare else "karatu",
        "full_name": named.full_name,
        "birth_year": named.birth_year or 1980,
        "month": (month.isoformat(), month_end.isoformat()),
        "short_case": short_case,
        "short_n": short_n,
        "long_case": long_case,
        "long_n": long_n,
    }


def scenarios(d: dict) -> list[Scenario]:
    return [
        Scenario("list: manager, page 1", "manager", "/cases"),
        Scenario("list: manager, page 50", "manager", "/cases?page=50"),
        Scenario("list: status=in_progress", "manager", "/cases?status=in_progress"),
        Scenario("list: status=open", "manager", "/cases?status=open"),
        Scenario("list: category PPKS 11", "manager", "/cases?category=P:11"),
        Scenario("list: category ODGJ (local)", "manager", f"/cases?category=L:{d['odgj']}"),
        Scenario("list: district Panakkukang", "manager", "/cases?district=73.71.09"),
        Scenario("list: worker filter", "manager", f"/cases?worker={d['other_worker_id']}"),
        Scenario("list: unassigned", "manager", "/cases?worker=none"),
        Scenario("list: sort=reported", "manager", "/cases?sort=reported"),
        Scenario("list: not yet in DTSEN", "manager", "/cases?registry=belum"),
        Scenario("list: registry unchecked", "manager", "/cases?registry=unchecked"),
        Scenario(
            "list: reported in one month",
            "manager",
            f"/cases?date_from={d['month'][0]}&date_to={d['month'][1]}",
        ),
        Scenario("list: worker 'my cases'", "worker", "/cases"),
        Scenario("list: worker, page 20", "worker", "/cases?page=20"),
        Scenario("search: 'muhammad'", "manager", "/cases?q=muhammad"),
        Scenario("search: 'muhammad' + status", "manager", "/cases?q=muhammad&status=closed"),
        Scenario("search: 'muh andi'", "manager", "/cases?q=muh+andi"),
        Scenario("search: 'sitti rahman'", "manager", "/cases?q=sitti+rahman"),
        Scenario(f"search: rare name '{d['rare']}'", "manager", f"/cases?q={d['rare']}"),
        Scenario(
            "search: a full name (3 words)",
            "manager",
            f"/cases?q={quote_plus(d['full_name'].lower())}",
            note=d["full_name"],
        ),
        Scenario("search: prefix 'ha'", "manager", "/cases?q=ha"),
        Scenario("search: NIK prefix (10 digits)", "manager", f"/cases?q={d['nik'][:10]}"),
        Scenario("search: NIK prefix (6 digits)", "manager", f"/cases?q={d['nik'][:6]}"),
        Scenario("search: full NIK", "manager", f"/cases?q={d['nik']}"),
        Scenario("search: case number", "manager", f"/cases?q={d['number']}"),
        Scenario("search: phone", "manager", f"/cases?q={d['phone']}"),
        Scenario("search: worker 'muhammad'", "worker", "/cases?q=muhammad"),
        # finding someone found without a name (issue 13): words of a description, filters
        Scenario("search: description 'kaos biru'", "manager", "/cases?q=kaos+biru"),
        Scenario("search: description 'luka pelipis'", "manager", "/cases?q=luka+pelipis"),
        Scenario(
            "search: 'kaos biru, bekas luka di pelipis'",
            "manager",
            "/cases?q=kaos+biru%2C+bekas+luka+di+pelipis",
        ),
        Scenario("search: 'tanpa identitas'", "manager", "/cases?q=tanpa+identitas"),
        Scenario("search: 'gondrong' + identity unknown", "manager", "/cases?q=gondrong&unknown=1"),
        Scenario("list: identity unknown", "manager", "/cases?unknown=1"),
        Scenario(
            "list: identity unknown, found in one month",
            "manager",
            f"/cases?unknown=1&found_from={d['month'][0]}&found_to={d['month'][1]}",
        ),
        Scenario("list: age 30..40, women", "manager", "/cases?age_min=30&age_max=40&sex=P"),
        Scenario("list: age 30..40", "manager", "/cases?age_min=30&age_max=40"),
        Scenario("list: age 75 and over", "manager", "/cases?age_min=75"),
        Scenario("list: men", "manager", "/cases?sex=L"),
        Scenario("list: worker, women", "worker", "/cases?sex=P"),
        # the duplicate check while the intake form is typed (htmx, each pause in typing);
        # the form preselects the office's regency
        Scenario(
            "duplicates: a full name + birth date",
            "worker",
            f"/cases/duplicates?full_name={quote_plus(d['full_name'])}"
            f"&birth_date={d['birth_year']}-06-15&regency_code=73.71",
            note=d["full_name"],
        ),
        Scenario(
            "duplicates: 'Muhammad Rahman' + birth date",
            "worker",
            "/cases/duplicates?full_name=Muhammad+Rahman&birth_date=1980-06-15&regency_code=73.71",
        ),
        Scenario(
            "duplicates: 'Siti Aminah', age only",
            "worker",
            "/cases/duplicates?full_name=Siti+Aminah&estimated_age=45&regency_code=73.71",
        ),
        Scenario("duplicates: 'Muh' (one word)", "worker", "/cases/duplicates?full_name=Muh"),
        Scenario("unidentified: page 1", "manager", "/unidentified"),
        Scenario("unidentified: 'kaos biru'", "manager", "/unidentified?q=kaos+biru"),
        Scenario("unidentified: worker", "worker", "/unidentified"),
        Scenario(
            "unidentified: men 20..40", "manager", "/unidentified?sex=L&age_min=20&age_max=40"
        ),
        Scenario(
            f"case file: {d['short_n']} events",
            "manager",
            f"/cases/{d['short_case']}",
        ),
        Scenario(
            f"case file: {d['long_n']} events",
            "manager",
            f"/cases/{d['long_case']}",
        ),
        # the manager's desk: everything waiting in the office (issue 16), and the nav badge
        Scenario("approvals: all kinds, page 1", "manager", "/approvals"),
        Scenario("approvals: kind rsj, page 1", "manager", "/approvals?kind=rsj"),
        Scenario("approvals: closures, page 1", "manager", "/approvals?kind=closure"),
        Scenario("approvals: all kinds, page 8", "manager", "/approvals?page=8"),
        Scenario(
            f"approvals: all kinds, last page ({d['desk_pages']})",
            "manager",
            f"/approvals?page={d['desk_pages']}",
        ),
        Scenario("approvals: nav badge count", "manager", "/approvals/count"),
        Scenario("dashboard: manager", "manager", "/dashboard"),
        Scenario("dashboard: worker", "worker", "/dashboard"),
        Scenario(
            f"report: year {d['month'][0][:4]}",
            "manager",
            f"/reports?period=year&year={d['month'][0][:4]}",
        ),
        Scenario(
            f"report: year {d['month'][0][:4]}, worker",
            "worker",
            f"/reports?period=year&year={d['month'][0][:4]}",
        ),
        Scenario(
            f"report: {d['month'][0][:4]}-02-10..11-20",
            "manager",
            f"/reports?period=range&date_from={d['month'][0][:4]}-02-10"
            f"&date_to={d['month'][0][:4]}-11-20",
            "edge days from the day tallies",
        ),
        Scenario(
            f"report: year {d['month'][0][:4]}, kecamatan",
            "manager",
            f"/reports?period=year&year={d['month'][0][:4]}&district=73.71.09",
        ),
    ]


def explain(engine, statements) -> None:
    with engine.connect() as conn:
        for statement, params in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print("    SQL:", " ".join(statement.split())[:600])
            print("    params:", params)
            if engine.dialect.name == "sqlite":
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                for row in rows:
                    print("      ", row[-1])
            else:
                rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).all()
                for (line,) in rows:
                    print("      ", line)
        conn.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--only", nargs="*", default=[], help="Only scenarios whose name contains one of these"
    )
    parser.add_argument("--explain", action="store_true", help="Print the plan of each SELECT")
    args = parser.parse_args()
    url = args.database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if make_url(url).get_backend_name() == "sqlite" and not os.path.exists(make_url(url).database):
        raise SystemExit(f"{make_url(url).database} does not exist: run bench/seed_large.py first.")

    from portal import create_app
    from portal.extensions import db

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        engine = db.engine
        started = time.perf_counter()
        from flask_migrate import upgrade

        upgrade()  # a database seeded before the latest migration (columns, report indexes)
        subjects = discover(app)
        db.session.remove()
        notes = machine_notes(engine)
    meter = SqlMeter(engine)
    print(f"Discovered test subjects in {time.perf_counter() - started:.1f}s: {subjects}")

    clients = {}
    for who in ("manager", "worker"):
        client = app.test_client()
        response = client.post("/login", data={"username": subjects[who], "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"login as {subjects[who]} failed ({response.status_code})")
        clients[who] = client

    chosen = [
        s for s in scenarios(subjects) if not args.only or any(w in s.name for w in args.only)
    ]
    for sc in chosen:
        client = clients[sc.who]
        for _ in range(args.warmup):
            response = client.get(sc.url)
            if response.status_code != 200:
                raise SystemExit(f"{sc.name}: {sc.url} answered {response.status_code}")
        for _ in range(args.requests):
            meter.reset()
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(sc.url)
            sc.times.append((time.perf_counter() - t0) * 1000)
            sc.cpu_times.append((time.process_time() - c0) * 1000)
            sc.sql_times.append(meter.seconds * 1000)
            sc.queries.append(meter.count)
        found = COUNT_RE.search(response.get_data(as_text=True))
        sc.result = re.sub(r"\s+", " ", found.group(1)) if found else ""
        print(
            f"  {sc.name:<36} median {statistics.median(sc.times):7.1f} ms  "
            f"p95 {percentile(sc.times, 0.95):7.1f} ms",
            flush=True,
        )
        if args.explain:
            meter.reset(keep=True)
            client.get(sc.url)
            explain(engine, meter.statements)

    print()
    print(f"Simpul pages on {subjects['total']:,} cases, {args.requests} requests each")
    for note in notes:
        print(f"  {note}")
    print()
    header = (
        f"| {'scenario':<36} | {'median ms':>9} | {'p95 ms':>7} | {'cpu ms':>6} | {'sql ms':>6} "
        f"| {'queries':>7} | result"
    )
    print(header)
    print(
        "|"
        + "-" * 38
        + "|"
        + "-" * 11
        + "|"
        + "-" * 9
        + "|"
        + "-" * 8
        + "|"
        + "-" * 8
        + "|"
        + "-" * 9
        + "|---"
    )
    for sc in chosen:
        q = (
            str(sc.queries[0])
            if min(sc.queries) == max(sc.queries)
            else f"{min(sc.queries)}-{max(sc.queries)}"
        )
        print(
            f"| {sc.name:<36} | {statistics.median(sc.times):9.1f} | "
            f"{percentile(sc.times, 0.95):7.1f} | {statistics.median(sc.cpu_times):6.1f} | "
            f"{statistics.median(sc.sql_times):6.1f} | "
            f"{q:>7} | {sc.result}"
        )


if __name__ == "__main__":
    main()
