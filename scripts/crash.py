#!/usr/bin/env python3
"""Crash proof (issue 12): the real server, killed with SIGKILL at random moments under load.

Each cycle starts `arbejdsbord serve` on a free port, lets concurrent caseworkers resolve tasks
(`POST /sf/resolve_task`, session cookie) while an integration posts dækninger
(`POST /api/v1/kommuner/{nr}/daekninger`, bearer token), kills the server with SIGKILL after a
random 0.2–2 s and then, with the server down, checks the database directly:

  * every acknowledged write is there: a resolve answered 2xx has closed its task; a dækning
    answered 201 (or 200, "already known") has its row, with the opgavepakker the answer named;
  * the kept counters equal a recount: `opgavepakke_count` (plus, on PostgreSQL, the changes not
    yet folded, `opgavepakke_count_delta`) against the open tasks in `task`, for
    every kommune; after the next start the API (`GET .../opgavepakker`) says the same;
  * the database's own integrity check passes: SQLite `PRAGMA integrity_check` and
    `PRAGMA foreign_key_check`; PostgreSQL `pg_amcheck` (heap and B-tree indexes, amcheck) and no
    invalid index. (PostgreSQL itself is not killed, only the arbejdsbord server.)
  * no open ventetrin (09) task hangs on a fordring whose opret task is closed (nothing would
    ever process it).

Every 10th cycle (`--full-check-every`) and at the end, every write acknowledged so far is
checked again, not just the cycle's; after the last cycle the server starts once more and its
API must give the counts the database holds.

Requests in flight at the kill have no answer: they may or may not have landed, either way is
right; they are counted (and how many landed). A dækning in flight is sent again with the same
id in a later cycle (a client retrying), where 201 or 200 are both right — but an acknowledged
dækning sent again must answer 200: 201 would mean the server forgot it.

Stops at the first violation with a message saying what is missing, keeps the work directory
(SQLite's database, the server's last logs) for a look, and exits 1; `--keep-going` reports each
violation and goes on. Python 3.11 standard library only; PostgreSQL through `psql` and
`pg_amcheck` (scripts/pg.sh's cluster: $ARBEJDSBORD_PG_BIN or PATH).

Setup: `demo-load` (kommune 751's ~1,400 open opret tasks), and when those give fewer than
`--min-resolves-per-cycle` per cycle a synthetic extract for kommune 101 (`demo-data` +
`import`); caseworkers (`user add`) and an API token (`token add`) per kommune. Each cycle
resolves its share of the open tasks left (spread over the time until the kill), the rest of
the requests are new dækninger (on fordringer of open tasks in 10–17, of tasks being resolved,
or any), the in-flight ones again, and a few acknowledged ones again.

  scripts/crash.py --cycles 20                                    # SQLite in a temp dir
  scripts/crash.py --cycles 20 --database-url postgres://…/crash  # an empty PostgreSQL database
  scripts/crash.sh [--pg] [--cycles N]                            # the same, set up by the wrapper

A long run on SQLite (the WAL is never reset under sustained load, see --truncate-wal-every):
  scripts/crash.sh --cycles 1000 --truncate-wal-every 10 \
      --integrity-every 10 --full-check-every 50 --report crash-1000.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "crash-kode-123"
MAIN_KOMMUNE = 751
EXTRA_KOMMUNE = 101  # a bigger synthetic extract, imported when 751's open tasks are too few
KRAVTYPE = "Tilbagebetaling af kontanthjælp"
B_BIT = 1  # domain::defects: B (no bevilling) = 1


class Violation(Exception):
    """An acknowledged write is missing, a counter is off or an integrity check failed."""


def log(msg: str) -> None:
    print(msg, flush=True)


def lit(v) -> str:
    """An SQL literal (ints, or text of our own making or from the database)."""
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --- the database, read directly -----------------------------------------------------------------


class Database:
    kind = "?"

    def size_note(self) -> str:
        return ""

    def query(self, sql: str) -> list[tuple]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def integrity(self, full: bool = True) -> list[str]:
        """Problems the database's own check finds (empty when it passes)."""
        raise NotImplementedError


class SqliteDb(Database):
    """Opened read-only while the server is down (it recovers the WAL as the server would)."""

    kind = "sqlite"

    def __init__(self, path: str):
        self.path = path
        self.conn: sqlite3.Connection | None = None

    def size_note(self) -> str:
        def mb(suffix: str) -> float:
            try:
                return os.path.getsize(self.path + suffix) / 1e6
            except OSError:
                return 0.0
        try:  # the WAL header's checkpoint sequence: it counts the times the WAL started over
            with open(self.path + "-wal", "rb") as f:
                seq = f" (restarts {int.from_bytes(f.read(16)[12:16], 'big')})"
        except OSError:
            seq = ""
        return f"db {mb(''):.0f} MB + WAL {mb('-wal'):.0f} MB{seq}"

    def _conn(self) -> sqlite3.Connection:
        if self.conn is None:
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        return self.conn

    def query(self, sql: str) -> list[tuple]:
        return [tuple(None if v is None else v for v in row) for row in self._conn().execute(sql).fetchall()]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def truncate_wal(self) -> None:
        """What a clean shutdown would have done: copy the WAL into the file and empty it."""
        c = sqlite3.connect(self.path, timeout=30)
        try:
            busy, _, _ = c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                raise RuntimeError("wal_checkpoint(TRUNCATE) was busy with the server down")
        finally:
            c.close()

    def integrity(self, full: bool = True) -> list[str]:
        c = self._conn()
        problems = []
        check = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in c.execute(f"PRAGMA {check}").fetchall()]
        if rows != ["ok"]:
            problems += [f"{check}: {r}" for r in rows[:20]]
        for r in c.execute("PRAGMA foreign_key_check").fetchmany(20):
            problems.append(f"foreign_key_check: table {r[0]} rowid {r[1]} -> {r[2]} (fk {r[3]})")
        return problems


def pg_tool(name: str) -> str:
    for d in [os.environ.get("ARBEJDSBORD_PG_BIN", "")] + sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True
    ):
        if d and Path(d, name).is_file():
            return str(Path(d, name))
    found = shutil.which(name)
    if not found:
        sys.exit(f"crash.py: {name} not found (PostgreSQL's client tools; scripts/pg.sh pg_install)")
    return found


class PgDb(Database):
    """psql against the database (PostgreSQL keeps running; only the app server is killed)."""

    kind = "postgres"
    NULL = "\x02NULL\x02"

    def __init__(self, url: str):
        self.url = url
        self.psql = pg_tool("psql")
        self.amcheck = pg_tool("pg_amcheck")
        self.amcheck_ready = False

    def query(self, sql: str) -> list[tuple]:
        p = subprocess.run(
            [self.psql, "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", f"null={self.NULL}", "-v", "ON_ERROR_STOP=1",
             "-d", self.url, "-f", "-"],
            input=sql, capture_output=True, text=True,
            env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"),
        )
        if p.returncode != 0:
            raise RuntimeError(f"psql failed ({p.returncode}): {p.stderr.strip()}\n  SQL: {sql[:300]}")
        rows = []
        for line in p.stdout.splitlines():
            if line == "":
                continue
            rows.append(tuple(None if v == self.NULL else _num(v) for v in line.split("\x1f")))
        return rows

    def integrity(self, full: bool = True) -> list[str]:
        u = urllib.parse.urlsplit(self.url)
        if not self.amcheck_ready:
            self.query("CREATE EXTENSION IF NOT EXISTS amcheck")
            self.amcheck_ready = True
        cmd = [self.amcheck, "-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432),
               "-U", urllib.parse.unquote(u.username or "postgres"), "-w", *(["--heapallindexed"] if full else []),
               "-d", u.path.lstrip("/")]
        p = subprocess.run(cmd, capture_output=True, text=True)
        problems = []
        if p.returncode != 0 or p.stdout.strip():
            problems += [f"pg_amcheck (exit {p.returncode}): {line}"
                         for line in (p.stdout + p.stderr).strip().splitlines()[:20]] or [f"pg_amcheck exit {p.returncode}"]
        for (name,) in self.query(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid"
        ):
            problems.append(f"invalid index {name}")
        return problems


def _num(v: str):
    if v.lstrip("-").isdigit():
        return int(v)
    return v


# --- the server ----------------------------------------------------------------------------------


class Server:
    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.log_path: Path | None = None

    def start(self, cycle: int) -> float:
        self.port = free_port()
        self.log_path = self.work / f"server-{cycle:05d}.log"
        old = self.work / f"server-{cycle - 2:05d}.log"  # keep the last two cycles' logs
        if old.exists():
            old.unlink()
        env = dict(os.environ, DATABASE_URL=self.args.database_url, LEPTOS_SITE_ADDR=f"127.0.0.1:{self.port}",
                   LEPTOS_SITE_ROOT=self.args.site_root)
        t0 = time.monotonic()
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen([self.args.bin, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        deadline = t0 + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Violation(f"the server exited with {self.proc.returncode} while starting:\n{self.tail()}")
            try:
                status, _ = request(self.port, "GET", "/health/ready", timeout=2)
                if status == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.02)
        raise Violation(f"the server was not ready within 60 s after a restart:\n{self.tail()}")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def died_by_itself(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def tail(self, n: int = 30) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except (OSError, AttributeError):
            return "(no server log)"
        return "\n".join("    " + l for l in lines[-n:])


def request(port, method, path, body=None, headers=None, timeout=30, conn=None):
    own = conn is None
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, data
    finally:
        if own:
            c.close()


def run_cli(args, *cli, stdin: str | None = None, check=True) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=args.database_url)
    p = subprocess.run([args.bin, *cli], env=env, input=stdin, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit(f"crash.py: `arbejdsbord {' '.join(cli)}` failed ({p.returncode}):\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    return p


# --- one cycle's work ----------------------------------------------------------------------------


@dataclass
class Resolve:
    task_id: int
    kommune: int
    fordring_id: str
    fields: dict


@dataclass
class Outcomes:
    acked_resolves: list = field(default_factory=list)      # task ids
    acked_daekninger: list = field(default_factory=list)    # (kommune, id, foer, efter) — foer/efter None for 200
    inflight_resolves: list = field(default_factory=list)
    inflight_daekninger: list = field(default_factory=list)  # (kommune, id, fordring_id)
    rejected: dict = field(default_factory=dict)              # "status what: message" -> n
    errors_before_kill: list = field(default_factory=list)
    server_errors: int = 0
    sessions_lost: int = 0
    forgotten: list = field(default_factory=list)            # acked dækninger answered 201 again
    requests: int = 0

    def reject(self, what: str, status: int, body: bytes) -> None:
        msg = body[:160].decode(errors="replace").replace("\n", " ")
        key = f"{status} {what}: {msg}"
        self.rejected[key] = self.rejected.get(key, 0) + 1
        if status >= 500:
            self.server_errors += 1


class Cycle:
    def __init__(self, run: "Run", n: int, resolves: list[Resolve], fordringer: list[tuple], retry: list[tuple]):
        self.run = run
        self.n = n
        self.rng = random.Random(run.rng.random())
        self.resolves = resolves
        self.fordringer = fordringer  # (kommune, fordring_id) for new dækninger
        self.retry = retry            # (kommune, id, fordring_id, acked) dækninger sent again
        self.lock = threading.Lock()
        self.killing = threading.Event()
        self.out = Outcomes()
        self.seq = 0
        self.planned = len(resolves)
        self.taken = 0
        self.delay = self.rng.uniform(run.args.kill_min, run.args.kill_max)
        self.t0 = time.monotonic()

    def next_job(self, rng: random.Random):
        with self.lock:
            if self.retry and rng.random() < 0.1:
                return ("again",) + self.retry.pop()
            # the cycle's tasks spread over the time until the kill, so that some are in flight then
            due = self.planned * min(1.0, (time.monotonic() - self.t0) / self.delay) + 1
            if self.resolves and self.taken < due and rng.random() < self.run.args.resolve_share:
                self.taken += 1
                return ("resolve", self.resolves.pop())
            self.seq += 1
            seq = self.seq
            if self.resolves and rng.random() < 0.25:
                # a dækning on a fordring whose task is about to be resolved
                r = rng.choice(self.resolves)
                k, f = r.kommune, r.fordring_id
            else:
                k, f = rng.choice(self.fordringer)
        return ("daekning", k, f"CRASH-{self.run.run_id}-{self.n}-{seq}", f, False)

    def worker(self, wid: int) -> None:
        rng = random.Random(self.rng.random() + wid)
        port = self.run.server.port
        conn = None
        think = self.run.args.think_ms / 1000.0
        while not self.killing.is_set():
            if think:
                time.sleep(rng.uniform(0, 2 * think))
            job = self.next_job(rng)
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    conn.connect()
                except OSError as e:
                    conn = None
                    if not self.killing.is_set():
                        with self.lock:
                            self.out.errors_before_kill.append(f"connect: {e!r}")
                        time.sleep(0.05)
                    self.put_back(job)
                    continue
            try:
                if job[0] == "resolve":
                    r: Resolve = job[1]
                    cookie = self.run.cookies[r.kommune][wid % len(self.run.cookies[r.kommune])]
                    conn.request("POST", "/sf/resolve_task", body=urllib.parse.urlencode(r.fields), headers={
                        "content-type": "application/x-www-form-urlencoded", "accept": "application/json",
                        "cookie": cookie})
                else:
                    _, k, did, fid, _acked = job
                    body = json.dumps({"daekning_id": did, "fordring_id": fid, "art": "daekning",
                                       "beloeb": "100,00", "dato": "2026-11-20"})
                    conn.request("POST", f"/api/v1/kommuner/{k}/daekninger", body=body, headers={
                        "content-type": "application/json", "accept": "application/json",
                        "authorization": f"Bearer {self.run.tokens[k]}"})
                resp = conn.getresponse()
                data = resp.read()
                if resp.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                if conn is not None:
                    conn.close()
                conn = None
                with self.lock:
                    self.out.requests += 1
                    if not self.killing.is_set():
                        self.out.errors_before_kill.append(f"{job[0]}: {e!r}")
                    if job[0] == "resolve":
                        self.out.inflight_resolves.append(job[1].task_id)
                    else:
                        self.out.inflight_daekninger.append((job[1], job[2], job[3]))
                continue
            with self.lock:
                self.out.requests += 1
                self.record(job, resp.status, data)
        if conn is not None:
            conn.close()

    def put_back(self, job) -> None:
        with self.lock:
            if job[0] == "resolve":
                self.resolves.append(job[1])
                self.taken -= 1
            elif job[0] == "again":
                self.retry.append(job[1:])

    def record(self, job, status: int, data: bytes) -> None:
        o = self.out
        if job[0] == "resolve":
            r: Resolve = job[1]
            if 200 <= status < 300:
                o.acked_resolves.append(r.task_id)
            else:
                if status == 401:
                    o.sessions_lost += 1
                o.reject("resolve", status, data)
            return
        _, k, did, fid, acked_before = job
        if status in (200, 201):
            foer = efter = None
            if status == 201:
                try:
                    answer = json.loads(data)
                    foer, efter = answer.get("opgavepakke_foer"), answer.get("opgavepakke_efter")
                except ValueError:
                    pass
                if acked_before:
                    o.forgotten.append((k, did))
            o.acked_daekninger.append((k, did, pakke(foer), pakke(efter), status))
        else:
            o.reject("dækning", status, data)
            if status >= 500 or status == 401:
                o.inflight_daekninger.append((k, did, fid))  # not acknowledged: try it again later

    def run_load(self) -> tuple[float, float]:
        workers = [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(self.run.args.concurrency)]
        delay = self.delay
        self.t0 = t0 = time.monotonic()
        for w in workers:
            w.start()
        self.killing.wait(delay)
        died = self.run.server.died_by_itself()
        self.killing.set()
        self.run.server.kill()
        killed_at = time.monotonic() - t0
        for w in workers:
            w.join(60)
            if w.is_alive():
                raise Violation("a worker hung for 60 s after the kill")
        if died:
            raise Violation(f"the server died by itself before the kill:\n{self.run.server.tail()}")
        return delay, killed_at


def pakke(v):
    if v is None or v == "":
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return v


# --- the run -------------------------------------------------------------------------------------


class Run:
    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.rng = random.Random(args.seed)
        self.run_id = f"{args.seed}-{int(time.time())}"
        self.server = Server(args, work)
        if args.database_url.startswith("sqlite:"):
            self.db: Database = SqliteDb(sqlite_path(args.database_url))
        else:
            self.db = PgDb(args.database_url)
        self.kommuner = [MAIN_KOMMUNE]
        self.cookies: dict[int, list[str]] = {}
        self.tokens: dict[int, str] = {}
        self.refs: dict[int, str] = {}
        # every acknowledged write so far
        self.acked_tasks: set[int] = set()
        self.acked_daekninger: dict[tuple, tuple] = {}  # (kommune, id) -> (foer, efter) of a 201, or None
        self.retry: list[tuple] = []                    # dækninger in flight, to send again
        self.expected_counts: dict[int, dict[int, int]] = {}
        self.totals = dict(cycles=0, acknowledged=0, acknowledged_resolves=0, acknowledged_daekninger=0, lost=0,
                           in_flight=0, in_flight_landed=0, rejected=0, server_errors=0, sessions_lost=0,
                           errors_before_kill=0, counter_mismatches=0, integrity_failures=0, stranded_ventetrin=0,
                           requests=0)
        self.lost_seen: set[tuple] = set()
        self.drift: dict[tuple, tuple] = {}
        self.violations: list[str] = []
        self.cycle_seconds: list[float] = []
        self.verify_seconds: list[float] = []

    # setup

    def setup(self) -> None:
        a = self.args
        t0 = time.monotonic()
        log(f"setup: demo-load into {redact(a.database_url)}")
        run_cli(a, "demo-load", "--work-dir", str(self.work / "demo"))
        available = self.count_open(self.kommuner)
        per_cycle = a.min_resolves_per_cycle or (50 if isinstance(self.db, PgDb) else 100)
        need = a.cycles * per_cycle
        if available < need:
            n = min(self.args.max_extra_fordringer, max(5_000, math.ceil((need - available) / 0.7)))
            log(f"setup: {available} open opret tasks in {MAIN_KOMMUNE}, {need} wanted: importing a synthetic "
                f"extract of {n} fordringer for kommune {EXTRA_KOMMUNE}")
            out = self.work / f"extract-{EXTRA_KOMMUNE}"
            run_cli(a, "demo-data", "--out", str(out), "--kommune", str(EXTRA_KOMMUNE), "--fordringer", str(n),
                    "--seed", str(a.seed))
            run_cli(a, "import", "--kommune", str(EXTRA_KOMMUNE), str(out))
            shutil.rmtree(out, ignore_errors=True)
            self.kommuner.append(EXTRA_KOMMUNE)
        for k in self.kommuner:
            for i in range(a.caseworkers):
                p = run_cli(a, "user", "add", "--username", f"crash.{k}.{i}", "--role", "sagsbehandler",
                            "--kommune", str(k), "--name", f"Crash {k} {i}", stdin=PASSWORD + "\n", check=False)
                if p.returncode != 0 and "findes allerede" not in (p.stdout + p.stderr):
                    sys.exit(f"crash.py: user add failed:\n{p.stdout}{p.stderr}")
            p = run_cli(a, "token", "add", "--kommune", str(k), "--name", f"crash-{self.run_id}")
            self.tokens[k] = [l for l in p.stdout.splitlines() if l.strip()][-1].strip()
            ref = self.db.query(f"SELECT min(ydelsesreference) FROM fordring WHERE kommune = {k} "
                                f"AND ydelsesreference IS NOT NULL AND ydelsesreference <> ''")
            self.refs[k] = ref[0][0] if ref and ref[0][0] else "YR-2024-000001"
        self.drift = self.recount_mismatches()
        self.totals["stranded_ventetrin"] = self.stranded()
        if self.drift or self.totals["stranded_ventetrin"]:
            log(f"setup: NOTE before any kill: counters differ from the recount {self.drift}, "
                f"stranded ventetrin tasks {self.totals['stranded_ventetrin']}")
        self.db.close()
        self.expected_counts = self.counters()
        self.open_at_start = self.count_open(self.kommuner)
        log(f"setup: kommuner {', '.join(map(str, self.kommuner))}: {self.open_at_start} open opret tasks, "
            f"{a.caseworkers} caseworkers each, took {time.monotonic() - t0:.1f} s")

    def count_open(self, kommuner) -> int:
        rows = self.db.query(f"SELECT count(*) FROM task WHERE is_open AND kind = 'opret' "
                             f"AND claimed_by IS NULL AND kommune IN ({', '.join(map(str, kommuner))})")
        return int(rows[0][0])

    def login_all(self) -> None:
        for k in self.kommuner:
            cookies = []
            for i in range(self.args.caseworkers):
                body = urllib.parse.urlencode({"username": f"crash.{k}.{i}", "password": PASSWORD})
                c = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
                c.request("POST", "/sf/login", body=body, headers={
                    "content-type": "application/x-www-form-urlencoded", "accept": "application/json"})
                r = c.getresponse()
                data = r.read()
                c.close()
                cookie = None
                for h in r.headers.get_all("set-cookie") or []:
                    if h.startswith("arbejdsbord_session="):
                        cookie = h.split(";", 1)[0]
                if r.status != 200 or not cookie:
                    raise SystemExit(f"crash.py: login as crash.{k}.{i} failed: {r.status} {data[:200]!r}")
                cookies.append(cookie)
            self.cookies[k] = cookies

    # work for a cycle, from the database as it is

    def plan(self, cycle: int) -> tuple[list[Resolve], list[tuple]]:
        a = self.args
        remaining = a.cycles - cycle + 1
        available = self.count_open(self.kommuner)
        budget = min(a.resolves_per_cycle, available // max(1, remaining))
        ks = ", ".join(map(str, self.kommuner))
        rows = self.db.query(f"""
            SELECT q.id, q.kommune, q.defects, q.fordring_id, q.person_bev, q.f_bev,
                   (SELECT min(y.ydelse_id) FROM ydelse y WHERE y.kommune = q.kommune AND y.bevilling_id =
                        CASE WHEN (q.defects & {B_BIT}) <> 0 THEN q.person_bev ELSE q.f_bev END) AS ydelse
            FROM (SELECT t.id, t.kommune, t.defects, t.fordring_id, f.bevilling_id AS f_bev,
                         (SELECT b.bevilling_id FROM sagsmappe s JOIN bevilling b
                              ON b.kommune = s.kommune AND b.sagsmappe_id = s.sagsmappe_id
                          WHERE s.kommune = t.kommune AND s.cpr = t.cpr
                          ORDER BY b.fra DESC, b.bevilling_id LIMIT 1) AS person_bev
                  FROM (SELECT id, kommune, defects, fordring_id, cpr FROM task
                        WHERE is_open AND kind = 'opret' AND claimed_by IS NULL AND kommune IN ({ks})
                        ORDER BY random() LIMIT {budget}) t
                  JOIN fordring f ON f.kommune = t.kommune AND f.fordring_id = t.fordring_id) q""") if budget > 0 else []
        resolves = []
        for tid, k, defects, fid, person_bev, f_bev, ydelse in rows:
            tid, k, defects = int(tid), int(k), int(defects)
            fields = {
                "task_id": str(tid),
                "input[bevilling_id]": (person_bev or "") if defects & B_BIT else "",
                "input[ydelsesreference]": ydelse or self.refs[k],
                "input[kravtype]": KRAVTYPE,
                "input[kravtype_bekraeftet]": "true",
                "input[udbetalingsparagraf]": "LAS § 25",
                "input[tilbagebetalingsparagraf]": "LAS § 91",
            }
            resolves.append(Resolve(tid, k, fid, fields))
        fordringer = [(int(k), f) for k, f in self.db.query(f"""
            SELECT kommune, fordring_id FROM task
            WHERE is_open AND kind = 'opret' AND opgavepakke BETWEEN 10 AND 17 AND kommune IN ({ks})
            ORDER BY random() LIMIT 200""")]
        fordringer += [(int(k), f) for k, f in self.db.query(
            f"SELECT kommune, fordring_id FROM fordring WHERE kommune IN ({ks}) ORDER BY random() LIMIT 100")]
        return resolves, fordringer

    # checks, with the server down

    # The kept counts as the product reads them (store/counters.rs `read`): the kept rows plus, on
    # PostgreSQL, the changes not yet folded into them (`opgavepakke_count_delta`; empty on SQLite).
    KEPT = """(SELECT c.kommune, c.opgavepakke, c.open_tasks + coalesce(d.n, 0) AS open_tasks
               FROM opgavepakke_count c
               LEFT JOIN (SELECT kommune, opgavepakke, sum(open_tasks) AS n FROM opgavepakke_count_delta
                          GROUP BY kommune, opgavepakke) d
                      ON d.kommune = c.kommune AND d.opgavepakke = c.opgavepakke)"""

    def counters(self) -> dict[int, dict[int, int]]:
        rows = self.db.query(f"SELECT kommune, opgavepakke, open_tasks FROM {self.KEPT} kept")
        out: dict[int, dict[int, int]] = {}
        for k, p, n in rows:
            out.setdefault(int(k), {})[int(p)] = int(n)
        return out

    def recount_mismatches(self) -> dict[tuple, tuple]:
        """(kommune, opgavepakke) -> (counter, recount) where they differ."""
        rows = self.db.query(f"""
            SELECT c.kommune, c.opgavepakke, c.open_tasks, coalesce(r.n, 0)
            FROM {self.KEPT} c
            LEFT JOIN (SELECT kommune, opgavepakke, count(*) AS n FROM task WHERE is_open GROUP BY kommune, opgavepakke) r
                   ON r.kommune = c.kommune AND r.opgavepakke = c.opgavepakke
            WHERE c.open_tasks <> coalesce(r.n, 0)
            UNION ALL
            SELECT r.kommune, r.opgavepakke, NULL, r.n
            FROM (SELECT kommune, opgavepakke, count(*) AS n FROM task WHERE is_open GROUP BY kommune, opgavepakke) r
            LEFT JOIN {self.KEPT} c ON c.kommune = r.kommune AND c.opgavepakke = r.opgavepakke
            WHERE c.kommune IS NULL""")
        return {(int(k), int(p)): (None if c is None else int(c), int(n)) for k, p, c, n in rows}

    def stranded(self) -> int:
        """Open ventetrin (09) tasks of a fordring without an open opret task: nothing will process them."""
        return int(self.db.query("""
            SELECT count(*) FROM task t WHERE t.kind = 'daekning' AND t.is_open AND NOT EXISTS (
                SELECT 1 FROM task o WHERE o.kommune = t.kommune AND o.fordring_id = t.fordring_id
                AND o.kind = 'opret' AND o.is_open)""")[0][0])

    def closed(self, ids) -> set[int]:
        out: set[int] = set()
        ids = sorted(ids)
        for i in range(0, len(ids), 5000):
            chunk = ", ".join(map(str, ids[i:i + 5000]))
            out |= {int(r[0]) for r in self.db.query(f"SELECT id FROM task WHERE id IN ({chunk}) AND NOT is_open")}
        return out

    def present(self, keys) -> dict[tuple, tuple]:
        """(kommune, daekning_id) -> (opgavepakke_foer, opgavepakke_efter) of the rows there."""
        out: dict[tuple, tuple] = {}
        by_k: dict[int, list[str]] = {}
        for k, d in keys:
            by_k.setdefault(k, []).append(d)
        for k, ds in by_k.items():
            for i in range(0, len(ds), 5000):
                chunk = ", ".join(lit(d) for d in ds[i:i + 5000])
                for did, foer, efter in self.db.query(
                    f"SELECT daekning_id, opgavepakke_foer, opgavepakke_efter FROM daekning "
                    f"WHERE kommune = {k} AND daekning_id IN ({chunk})"
                ):
                    out[(k, did)] = (pakke(foer), pakke(efter))
        return out

    def verify(self, cycle: int, o: Outcomes, everything: bool) -> dict:
        t0 = time.monotonic()
        try:
            tasks = self.acked_tasks if everything else set(o.acked_resolves)
            keys = list(self.acked_daekninger) if everything else [(k, d) for k, d, *_ in o.acked_daekninger]
            closed = self.closed(tasks | set(o.inflight_resolves))
            lost_tasks = sorted(t for t in tasks if t not in closed)
            rows = self.present(set(keys) | {(k, d) for k, d, _ in o.inflight_daekninger})
            lost_d = sorted(key for key in keys if key not in rows)
            wrong_d = []
            for key in keys:
                want = self.acked_daekninger.get(key)
                if want is not None and key in rows and rows[key] != want:
                    wrong_d.append(f"{key[1]}: answered opgavepakke {want}, stored {rows[key]}")
            new_lost = {("task", t) for t in lost_tasks} | {("daekning",) + key for key in lost_d}
            new_lost -= self.lost_seen
            self.lost_seen |= new_lost
            self.totals["lost"] = len(self.lost_seen)
            landed = sum(1 for t in o.inflight_resolves if t in closed) + sum(
                1 for k, d, _ in o.inflight_daekninger if (k, d) in rows)
            drift = self.recount_mismatches()
            # (with --keep-going) only a difference that changed since the last cycle is new
            off = lambda d, key: None if key not in d else (d[key][0] or 0) - d[key][1]  # noqa: E731
            new_drift = {key: v for key, v in drift.items() if off(drift, key) != off(self.drift, key)}
            self.drift = drift
            self.totals["counter_mismatches"] += len(new_drift)
            mismatches = [f"kommune {k} opgavepakke {p:02d}: counter {'(no row)' if c is None else c}, recount {n}"
                          for (k, p), (c, n) in sorted(new_drift.items())]
            stranded = self.stranded()
            new_stranded = stranded - self.totals["stranded_ventetrin"]
            self.totals["stranded_ventetrin"] = stranded
            full = cycle % self.args.integrity_every == 0 or cycle == self.args.cycles
            problems = self.db.integrity(full)
            self.totals["integrity_failures"] += 1 if problems else 0
            counts = self.counters()
        finally:
            self.db.close()
        msgs = []
        lost_tasks = sorted(x[1] for x in new_lost if x[0] == "task")
        lost_d = sorted(x[1:] for x in new_lost if x[0] == "daekning")
        if lost_tasks:
            msgs.append(f"{len(lost_tasks)} acknowledged resolve(s) lost: task(s) still open or gone: {lost_tasks[:20]}")
        if lost_d:
            msgs.append(f"{len(lost_d)} acknowledged dækning(er) lost: {[d for _, d in lost_d[:20]]}")
        if wrong_d:
            msgs.append(f"{len(wrong_d)} acknowledged dækning(er) stored otherwise than answered: {wrong_d[:10]}")
        if o.forgotten:
            msgs.append(f"{len(o.forgotten)} acknowledged dækning(er) answered 201 (new) when sent again: "
                        f"{[d for _, d in o.forgotten[:20]]}")
        if mismatches:
            msgs.append("counters differ from a recount of open tasks:\n    " + "\n    ".join(mismatches[:40]))
        if problems:
            msgs.append("integrity check failed:\n    " + "\n    ".join(problems))
        if new_stranded > 0:
            msgs.append(f"{new_stranded} more open ventetrin (09) task(s) of a fordring whose opret task is closed "
                        f"({stranded} in all): nothing will ever process them")
        if msgs:
            text = f"cycle {cycle}: " + "\n  ".join(msgs)
            if not self.args.keep_going:
                raise Violation(text)
            self.violations.append(text)
            log(f"VIOLATION (going on): {text}")
        self.expected_counts = counts
        secs = time.monotonic() - t0
        self.verify_seconds.append(secs)
        return dict(landed=landed, seconds=secs, full=full, integrity_ok=not problems)

    def check_api_counts(self, cycle: int) -> None:
        """After a restart the server's counts are those the database held when it was killed."""
        for k in self.kommuner:
            status, data = request(self.server.port, "GET", f"/api/v1/kommuner/{k}/opgavepakker",
                                   headers={"authorization": f"Bearer {self.tokens[k]}", "accept": "application/json"})
            if status != 200:
                raise Violation(f"cycle {cycle}: GET opgavepakker for {k} after the restart: {status} {data[:200]!r}")
            pakker = {int(p): int(n) for p, n in json.loads(data)["pakker"].items()}
            want = {p: n for p, n in self.expected_counts.get(k, {}).items()}
            diff = [f"{p:02d}: api {pakker.get(p, 0)}, database {want.get(p, 0)}"
                    for p in sorted(set(pakker) | set(want)) if pakker.get(p, 0) != want.get(p, 0)]
            if diff:
                self.totals["counter_mismatches"] += len(diff)
                raise Violation(f"cycle {cycle}: after the restart the API's counts for {k} differ from the "
                                f"database's: {diff}")

    def cycle(self, n: int) -> None:
        a = self.args
        t0 = time.monotonic()
        resolves, fordringer = self.plan(n)
        self.db.close()
        planned_in = time.monotonic() - t0
        retry, self.retry = self.retry, []
        retry = [(k, d, f, False) for k, d, f in retry]
        # and a few acknowledged ones again: the answer must be 200, "already known"
        known = list(self.acked_daekninger)
        for k, d in self.rng.sample(known, min(len(known), 5)):
            retry.append((k, d, "", True))
        known_f = self.fordringer_of([(k, d) for k, d, f, _ in retry if not f])
        retry = [(k, d, f or known_f.get((k, d), fordringer[0][1]), acked) for k, d, f, acked in retry]
        ready = self.server.start(n)
        if n == 1 or any(not c for c in self.cookies.values()):
            self.login_all()
        self.check_api_counts(n)
        c = Cycle(self, n, resolves, fordringer, retry)
        planned = len(resolves)
        delay, killed_at = c.run_load()
        o = c.out
        # what is unanswered is tried again in the next cycle; the rest of the work is dropped
        self.retry = [(k, d, f) for k, d, f in o.inflight_daekninger]
        for tid in o.acked_resolves:
            self.acked_tasks.add(tid)
        for k, d, foer, efter, status in o.acked_daekninger:
            if status == 201:
                self.acked_daekninger[(k, d)] = (foer, efter)
            else:
                self.acked_daekninger.setdefault((k, d), None)
        # the cycle's numbers count before the checks (a failing cycle is in the summary too)
        acked = len(o.acked_resolves) + len(o.acked_daekninger)
        inflight = len(o.inflight_resolves) + len(o.inflight_daekninger)
        t = self.totals
        t["cycles"] += 1
        t["acknowledged"] += acked
        t["acknowledged_resolves"] += len(o.acked_resolves)
        t["acknowledged_daekninger"] += len(o.acked_daekninger)
        t["in_flight"] += inflight
        t["rejected"] += sum(o.rejected.values())
        t["server_errors"] += o.server_errors
        t["sessions_lost"] += o.sessions_lost
        t["errors_before_kill"] += len(o.errors_before_kill)
        t["requests"] += o.requests
        for key, cnt in o.rejected.items():
            self.rejections[key] = self.rejections.get(key, 0) + cnt
        if o.errors_before_kill:
            self.early_errors += o.errors_before_kill[:5]
        everything = n == a.cycles or n % a.full_check_every == 0
        v = self.verify(n, o, everything)
        if a.truncate_wal_every and n % a.truncate_wal_every == 0 and isinstance(self.db, SqliteDb):
            self.db.truncate_wal()
        if o.sessions_lost:
            self.cookies = {k: [] for k in self.kommuner}  # log in again next cycle
        t["in_flight_landed"] += v["landed"]
        secs = time.monotonic() - t0
        self.cycle_seconds.append(secs)
        extra = ""
        if o.rejected:
            extra += f", rejected {sum(o.rejected.values())}"
        if o.errors_before_kill:
            extra += f", errors before the kill {len(o.errors_before_kill)}"
        log(f"cycle {n}/{a.cycles}: ready {ready * 1000:.0f} ms, killed after {killed_at:.2f} s; "
            f"acknowledged {acked} ({len(o.acked_resolves)}/{planned} resolves, {len(o.acked_daekninger)} dækninger), "
            f"in flight {inflight} (landed {v['landed']}){extra}; lost {t['lost']}{' (of all so far)' if everything else ''}, "
            f"{'counters = recount' if not self.drift else 'COUNTERS OFF'}, {'integrity' if v['full'] else 'quick'}_check {'ok' if v['integrity_ok'] else 'FAILED'}; "
            f"{planned_in:.2f} s plan, {v['seconds']:.2f} s checks, {secs:.2f} s cycle"
            f"{'; ' + self.db.size_note() if self.db.size_note() else ''}")

    def fordringer_of(self, keys) -> dict[tuple, str]:
        """The fordring of each known dækning (kommune, daekning_id)."""
        out = {}
        for k in {k for k, _ in keys}:
            ids = ", ".join(lit(d) for kk, d in keys if kk == k)
            for did, fid in self.db.query(
                    f"SELECT daekning_id, fordring_id FROM daekning WHERE kommune = {k} AND daekning_id IN ({ids})"):
                out[(k, did)] = fid
        self.db.close()
        return out

    def final_restart(self) -> float:
        ready = self.server.start(self.args.cycles + 1)
        try:
            self.check_api_counts(self.args.cycles + 1)
        finally:
            self.server.kill()
        return ready

    def main(self) -> int:
        self.rejections: dict[str, int] = {}
        self.early_errors: list[str] = []
        t0 = time.monotonic()
        failure = None
        try:
            self.setup()
            for n in range(1, self.args.cycles + 1):
                self.cycle(n)
            self.final_restart()
        except Violation as e:
            failure = str(e)
        finally:
            self.server.kill()
        duration = time.monotonic() - t0
        t = self.totals
        per = sum(self.cycle_seconds) / len(self.cycle_seconds) if self.cycle_seconds else 0.0
        summary = dict(t, backend=self.db.kind, seed=self.args.seed, concurrency=self.args.concurrency,
                       duration_s=round(duration, 1), seconds_per_cycle=round(per, 2),
                       rejections=self.rejections, errors_before_kill_examples=self.early_errors[:10],
                       passed=failure is None, failure=failure)
        log("")
        for key, cnt in sorted(self.rejections.items(), key=lambda x: -x[1])[:10]:
            log(f"  rejected {cnt}x: {key}")
        for e in self.early_errors[:5]:
            log(f"  error before the kill: {e}")
        log(f"crash proof ({self.db.kind}): {t['cycles']} cycles, writes acknowledged {t['acknowledged']} "
            f"({t['acknowledged_resolves']} resolves, {t['acknowledged_daekninger']} dækninger), lost {t['lost']}, "
            f"in flight at kill {t['in_flight']} (landed {t['in_flight_landed']}), counter mismatches "
            f"{t['counter_mismatches']}, integrity failures {t['integrity_failures']}, stranded ventetrin tasks "
            f"{t['stranded_ventetrin']}, rejected {t['rejected']}, "
            f"server errors {t['server_errors']}; {duration:.0f} s ({per:.2f} s per cycle)")
        if self.args.report:
            Path(self.args.report).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        if not failure and self.violations:
            failure = f"{len(self.violations)} violation(s), the first: {self.violations[0]}"
            summary.update(passed=False, failure=failure)
            if self.args.report:
                Path(self.args.report).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        if failure:
            log(f"\nFAILED: {failure}")
            log(f"  the database and the server's logs are kept in {self.work}")
            return 1
        log("PASSED")
        return 0


def sqlite_path(url: str) -> str:
    rest = url.split(":", 1)[1]
    rest = rest[2:] if rest.startswith("//") else rest
    return rest.split("?", 1)[0]


def redact(url: str) -> str:
    u = urllib.parse.urlsplit(url)
    if u.password:
        return url.replace(f":{u.password}@", ":***@")
    return url


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cycles", type=int, default=20)
    p.add_argument("--database-url", help="sqlite://FILE or postgres://… of an empty database "
                   "(default: a fresh SQLite file in a temporary directory)")
    p.add_argument("--bin", default=os.environ.get("ARBEJDSBORD_BIN", str(
        Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/arbejdsbord/target")) / "release/arbejdsbord")))
    p.add_argument("--site-root", default=os.environ.get("LEPTOS_SITE_ROOT", str(ROOT / "target/site")))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--concurrency", type=int, default=16, help="concurrent requests (default 16)")
    p.add_argument("--caseworkers", type=int, default=4, help="caseworkers logged in per kommune (default 4)")
    p.add_argument("--resolve-share", type=float, default=0.5, help="share of requests that are resolves")
    p.add_argument("--resolves-per-cycle", type=int, default=400, help="at most this many tasks per cycle")
    p.add_argument("--min-resolves-per-cycle", type=int,
                   help="import a bigger extract (kommune 101) when the demo's open tasks give fewer per cycle "
                   "(default 100 on SQLite, 50 on PostgreSQL, where `import` takes minutes)")
    p.add_argument("--think-ms", type=float, default=0,
                   help="mean pause of a worker between requests (default 0: as fast as the server answers)")
    p.add_argument("--integrity-every", type=int, default=1,
                   help="the full check every N cycles and at the end, a lighter one in the others: SQLite "
                   "integrity_check / quick_check, PostgreSQL pg_amcheck with / without --heapallindexed "
                   "(default 1: the full check every cycle)")
    p.add_argument("--max-extra-fordringer", type=int, default=40_000,
                   help="the most fordringer of the extract imported for more tasks (default 40000; "
                   "`import` of a 60,000 one into the demo database did not finish in 10 minutes)")
    p.add_argument("--truncate-wal-every", type=int, default=0,
                   help="SQLite: every N cycles, after the checks and with the server down, checkpoint and "
                   "truncate the WAL (default 0: never). Under sustained load the server's PASSIVE "
                   "checkpoints never let the WAL start over, so it grows ~40 MB per second of load; "
                   "long runs need this to fit on the disk")
    p.add_argument("--kill-min", type=float, default=0.2)
    p.add_argument("--kill-max", type=float, default=2.0)
    p.add_argument("--full-check-every", type=int, default=10,
                   help="every N cycles (and at the end) check every write acknowledged so far, not just the cycle's")
    p.add_argument("--report", help="write a JSON summary here")
    p.add_argument("--keep-going", action="store_true",
                   help="report a violation and go on (exit 1 at the end) instead of stopping at the first")
    p.add_argument("--keep", action="store_true", help="keep the work directory (it is kept anyway on failure)")
    args = p.parse_args()
    if not Path(args.bin).is_file():
        sys.exit(f"crash.py: no server binary at {args.bin} (cargo leptos build --release)")
    work = Path(tempfile.mkdtemp(prefix="arbejdsbord-crash."))
    if not args.database_url:
        args.database_url = f"sqlite://{work}/crash.db"
    status = 1
    try:
        status = Run(args, work).main()
    finally:
        if status == 0 and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
