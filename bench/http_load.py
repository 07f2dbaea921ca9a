"""Measure the portal over HTTP: gunicorn workers, a load generator, the floor beside it.

    .venv/bin/python bench/http_load.py --database sqlite:////tmp/bench5k.db --duration 10
    .venv/bin/python bench/http_load.py --database sqlite:////tmp/bench5k.db \\
        --database sqlite:///bench/bench.db --workers 2 1            # 500k/5k cost ratio too
    .venv/bin/python bench/http_load.py --database postgresql://postgres@127.0.0.1:5432/simpul_bench
    .venv/bin/python bench/http_load.py --database sqlite:////tmp/bench5k.db --mixed   # reads + writes

For each database (built by bench/seed_large.py) and each worker count, gunicorn serves the
portal (wsgi:app, sync workers) on 127.0.0.1; a bare Flask page (bench/floor_app.py) is served
with the same settings: the floor. The script logs in as manajer1 (the session cookie, CSRF
as in production), checks that every page answers 200 with it, then loads each page for
--duration seconds with `wrk -t2 -c8` (Debian's wrk; without it a threaded urllib client with
8 connections) and prints req/s, p50 and p99 per page, the share of the floor's req/s, and,
with two databases, how much more a request costs on the second (req/s first / req/s second);
with two worker counts, the speed-up of the first over the second.

--mixed: gunicorn -w 2 on the first database; 16 threads for --duration seconds (default 60)
view case files, the case list and post notes (htmx) on 200 cases; then counts HTTP 500s and
"database is locked" in the server's log, and compares the audit rows written (case.view,
case.note) with the requests that succeeded. Exits 1 when anything was lost or failed.

Nothing is asserted about speed: the figures are printed for whoever reads them. (Not named
http.py: a script's folder comes first on sys.path, and bench/http.py would stand in for the
standard library's `http` in every script of bench/.)
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench1234"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Result:
    rps: float
    p50: float  # ms
    p99: float  # ms
    errors: int = 0


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def normalize(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        # a relative file: gunicorn runs in another folder, so make it absolute here
        return "sqlite:///" + str(Path(url[len("sqlite:///") :]).resolve())
    return url


def start(app: str, workers: int, database: str | None, logdir: Path, chdir: Path) -> Server:
    port = free_port()
    log = logdir / f"{app.replace(':', '_')}-{database and abs(hash(database))}-w{workers}.log"
    env = dict(os.environ, PORTAL_PLAIN_HTTP="1", SECRET_KEY="bench-http")
    if database:
        env["DATABASE_URL"] = normalize(database)
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--access-logfile", str(log), "--error-logfile", str(log),
               "--timeout", "120", "--chdir", str(chdir), app]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/login" if database else base + "/", timeout=5)
            return Server(process, base, log)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({process.returncode}): see {log}") from None
            time.sleep(0.2)
    stop(Server(process, base, log))
    raise SystemExit(f"gunicorn did not answer on {base}: see {log}")


def stop(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def login(base: str, username: str) -> tuple[urllib.request.OpenerDirector, str, str]:
    """An opener holding the session, the Cookie header for wrk, and a CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = CSRF_RE.search(page)[1]
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrf_token": token}
    ).encode()
    opener.open(base + "/login", data=data, timeout=30)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    page = opener.open(base + "/cases", timeout=60)
    if not page.geturl().endswith("/cases"):
        raise SystemExit(f"login as {username} failed (sent to {page.geturl()})")
    token = CSRF_RE.search(page.read().decode()) or CSRF_RE.search(
        opener.open(base + "/login", timeout=30).read().decode()
    )
    return opener, cookie, token[1] if token else ""


def subjects(database: str) -> dict:
    """A case id in the middle of the office and the year before the newest case."""
    from sqlalchemy import create_engine, text

    engine = create_engine(normalize(database))
    with engine.connect() as conn:
        total = conn.scalar(text('SELECT count(*) FROM "case"'))
        middle = conn.scalar(
            text('SELECT id FROM "case" ORDER BY id LIMIT 1 OFFSET :n'), {"n": total // 2}
        )
        # open cases: a closed one is read-only (a note on it is refused)
        ids = conn.scalars(
            text("SELECT id FROM \"case\" WHERE status <> 'closed' ORDER BY id")
        ).all()
        newest = conn.scalar(text('SELECT max(reported_at) FROM "case"'))
    engine.dispose()
    year = (newest.year if hasattr(newest, "year") else int(str(newest)[:4])) - 1
    return {"total": total, "case": middle, "ids": ids, "year": year}


def pages(d: dict) -> list[tuple[str, str]]:
    y = d["year"]
    return [
        ("case list", "/cases"),
        ("search 'muhammad'", "/cases?q=muhammad"),
        ("case file", f"/cases/{d['case']}"),
        ("dashboard", "/dashboard"),
        (f"report {y}-02-10..11-20", f"/reports?period=range&date_from={y}-02-10&date_to={y}-11-20"),
        ("approvals", "/approvals"),
        ("unidentified people", "/unidentified"),
        ("tasks", "/tasks"),
        ("letters", "/letters"),
    ]  # fmt: skip


# --- load generators ------------------------------------------------------------------------


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, cookie: str, seconds: int, connections: int) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return Result(
        rps, p50, p99, (int(errors[1]) if errors else 0) + (int(timeouts[1]) if timeouts else 0)
    )


def run_threads(url: str, cookie: str, seconds: int, connections: int) -> Result:
    """The fallback without wrk: `connections` threads, each one request after another."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop() -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                urllib.request.urlopen(request, timeout=60).read()
                ok = True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                ok = False
            with lock:
                times.append((time.perf_counter() - t0) * 1000) if ok else None
                errors[0] += not ok

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(times) or [0.0]
    return Result(len(times) / elapsed, statistics.median(ordered),
                  ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], errors[0])  # fmt: skip


def load(url: str, cookie: str, seconds: int, connections: int = 8) -> Result:
    runner = run_wrk if shutil.which("wrk") else run_threads
    return runner(url, cookie, seconds, connections)


# --- the read benchmark -----------------------------------------------------------------------


def measure(
    database: str, workers: int, seconds: int, logdir: Path, only: list[str] | None = None
) -> dict[str, Result]:
    d = subjects(database)
    floor = start("bench.floor_app:app", workers, None, logdir, ROOT)
    portal = start("wsgi:app", workers, database, logdir, ROOT)
    try:
        out = {"floor": load(floor.base + "/", "", seconds)}
        opener, cookie, _ = login(portal.base, "manajer1")
        for name, path in pages(d):
            if only and not any(word in name for word in only):
                continue
            response = opener.open(portal.base + path, timeout=120)  # also warms the workers
            if (
                response.status != 200
                or urllib.parse.urlsplit(response.geturl()).path != path.split("?")[0]
            ):
                raise SystemExit(f"{name}: {response.status} {response.geturl()}")
            out[name] = load(portal.base + path, cookie, seconds)
            print(f"  {name:32} {out[name].rps:8.1f} req/s", file=sys.stderr)
    finally:
        stop(floor)
        stop(portal)
    return out


def report(runs: dict[tuple[str, int], dict[str, Result]], databases, workers) -> None:
    for (database, w), results in runs.items():
        floor = results["floor"].rps
        print(f"\n{database}, gunicorn -w {w}: floor {floor:.0f} req/s")
        print("| page                          |  req/s |  p50 ms |  p99 ms | of floor | errors |")
        print("|-------------------------------|--------|---------|---------|----------|--------|")
        for name, r in results.items():  # the floor first: its own p50 and p99
            print(f"| {name:29} | {r.rps:6.1f} | {r.p50:7.1f} | {r.p99:7.1f} "
                  f"| {100 * r.rps / floor:7.1f}% | {r.errors:6} |")  # fmt: skip
    if len(databases) == 2:
        for w in workers:
            small, large = runs[databases[0], w], runs[databases[1], w]
            print(f"\ncost of a request on the second database / the first (-w {w}), "
                  "each as a share of its own run's floor:")  # fmt: skip
            for name in small:
                if name != "floor":
                    a = small[name].rps / small["floor"].rps
                    b = large[name].rps / large["floor"].rps
                    print(f"  {name:32} {a / b:5.2f}x")
    if len(workers) == 2:
        for database in databases:
            one, other = runs[database, workers[0]], runs[database, workers[1]]
            print(f"\n-w {workers[0]} / -w {workers[1]} req/s on {database}:")
            for name in one:
                print(f"  {name:32} {one[name].rps / other[name].rps:5.2f}x")


# --- the mixed benchmark ----------------------------------------------------------------------


def audit_counts(database: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(normalize(database))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, count(*) FROM audit_log WHERE action IN "
                "('case.view', 'case.note') GROUP BY action"
            )  # fmt: skip
        ).all()
    engine.dispose()
    return {"case.view": 0, "case.note": 0} | dict(rows)


@dataclass
class Tally:
    ok: dict = field(default_factory=lambda: {"view": 0, "list": 0, "note": 0})
    failed: dict = field(default_factory=dict)


def mixed(database: str, seconds: int, logdir: Path, connections: int = 16) -> int:
    d = subjects(database)
    cases = random.Random(16).sample(d["ids"], min(200, len(d["ids"])))
    server = start("wsgi:app", 2, database, logdir, ROOT)
    tally, lock = Tally(), threading.Lock()
    try:
        _opener, cookie, token = login(server.base, "manajer1")
        before = audit_counts(database)
        deadline = time.perf_counter() + seconds

        def loop(seed: int) -> None:
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                roll, case = rng.random(), rng.choice(cases)
                kind = "view" if roll < 0.6 else "list" if roll < 0.75 else "note"
                headers, data = {"Cookie": cookie}, None
                url = f"{server.base}/cases/{case}" if kind == "view" else f"{server.base}/cases"
                if kind == "note":
                    url = f"{server.base}/cases/{case}/notes"
                    headers |= {"HX-Request": "true", "X-CSRFToken": token}
                    data = urllib.parse.urlencode({"csrf_token": token,
                                                   "body": f"Catatan uji beban {seed}"}).encode()  # fmt: skip
                try:
                    status = urllib.request.urlopen(
                        urllib.request.Request(url, data=data, headers=headers), timeout=120
                    ).status
                except urllib.error.HTTPError as error:
                    status = error.code
                except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                    status = type(error).__name__
                with lock:
                    if status == 200:
                        tally.ok[kind] += 1
                    else:
                        key = f"{kind} {status}"
                        tally.failed[key] = tally.failed.get(key, 0) + 1

        threads = [threading.Thread(target=loop, args=(n,)) for n in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop(server)
    after = audit_counts(database)
    text = server.log.read_text(errors="replace")
    status_500 = len(re.findall(r'" 500 ', text))
    locked = text.count("database is locked")
    views = after["case.view"] - before["case.view"]
    notes = after["case.note"] - before["case.note"]
    total = sum(tally.ok.values()) + sum(tally.failed.values())
    print(f"\n--mixed on {database}: gunicorn -w 2, {connections} threads, {seconds} s, "
          f"{total} requests ({total / seconds:.1f}/s)")  # fmt: skip
    print(f"  succeeded: {tally.ok}; failed: {tally.failed or 'none'}")
    print(f"  server log: {status_500} responses 500, {locked} 'database is locked'")
    print(f"  audit rows: case.view +{views} for {tally.ok['view']} case files seen, "
          f"case.note +{notes} for {tally.ok['note']} notes added")  # fmt: skip
    lost = views != tally.ok["view"] or notes != tally.ok["note"]
    bad = bool(tally.failed) or status_500 or locked or lost
    print("  result:", "FAILED" if bad else "no error, no lost audit row")
    return 1 if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", action="append", required=True,
                        help="SQLite URL or PostgreSQL URL; twice for the cost ratio")  # fmt: skip
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--duration", type=int, help="seconds per page (10; --mixed 60)")
    parser.add_argument("--mixed", action="store_true", help="reads and writes, -c16")
    parser.add_argument("--only", nargs="+", metavar="WORD",
                        help="only the pages whose name contains one of these words")  # fmt: skip
    args = parser.parse_args()
    if len(args.database) > 2 or len(args.workers) > 2:
        raise SystemExit("at most two databases and two worker counts")
    logdir = Path(tempfile.mkdtemp(prefix="simpul-http-"))
    print(f"{platform.node()}: {os.cpu_count()} CPUs, python {platform.python_version()}, "
          f"load generator: {'wrk -t2 -c8' if shutil.which('wrk') else 'urllib, 8 threads'}, "
          f"server logs in {logdir}", file=sys.stderr)  # fmt: skip
    if args.mixed:
        sys.exit(mixed(args.database[0], args.duration or 60, logdir))
    runs = {}
    for database in args.database:
        for w in args.workers:
            print(f"{database}, -w {w}:", file=sys.stderr)
            runs[database, w] = measure(database, w, args.duration or 10, logdir, args.only)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.duration or 10} s "
          f"per page, {'wrk -t2 -c8' if shutil.which('wrk') else 'urllib, 8 threads'}")  # fmt: skip
    report(runs, args.database, args.workers)


if __name__ == "__main__":
    main()
