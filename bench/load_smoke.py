"""``python -m bench.load_smoke [--seconds 60] [--requests 4000] [--clients 4]``.

The load smoke of issue 10, outside ``make test``: gunicorn (2 workers) on a free loopback port
against a dedicated database (``EMBEDDED_DB_NAME=outreach_loadsmoke``, migrated, seeded with 60
companies when empty, demo login reset), then a bounded run of plain-Python clients (threads,
``urllib`` with a cookie jar, no extra packages). Each client signs in as the demo coordinator
and cycles the list pages and slot assignments through the real forms: it opens a slot's page,
reads the CSRF token and the person the page shows in the slot (``expected_contact_id``), and
posts an assignment (or a replacement with a reason) of a person of that company. The clients
share a small pool of slots so they race each other; the losing POST must come back as the
"reload to see it" conflict message, never a 5xx.

Afterwards the slot invariant is checked in SQL as the owner: no slot holds a merged person,
each (company, role) has at most one slot, and every filled slot's latest history row that set
``contact_id`` names the slot's person (no lost update). Prints a results table and exits 1 when
any 5xx, connection error or invariant violation was seen. gunicorn is always stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_NAME = "outreach_loadsmoke"
HOST = "127.0.0.1"
DEMO_USER, DEMO_PASSWORD = "demo", "demo-outreach-2026"  # ensure_demo_login's well-known pair
LIST_PAGES = ["/companies/", "/companies/slots/", "/people/", "/people/duplicates/"]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFLICT_TEXT = "reload to see it"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # the embedded server, never a configured remote one
    env.update(
        EMBEDDED_DB_NAME=DB_NAME,
        DJANGO_DEBUG="true",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="outreach_admin.settings",
    )
    return env


def _manage(*args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=_env(), check=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *extra: str):
    """gunicorn (2 workers) on a free loopback port, in its own process group; yields its base
    URL once /healthz answers and always stops the whole group afterwards."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "outreach_admin.wsgi", "--bind", f"{HOST}:{port}"]
        + ["--workers", "2", "--log-level", "warning", *extra],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        _wait_healthy(base, proc)
        yield base
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _owner_connection():
    """The owner's connection to the load-smoke database (Django settings resolve the socket)."""
    os.environ.update({k: v for k, v in _env().items() if k != "DJANGO_DEBUG"})
    os.environ["DJANGO_DEBUG"] = "false"  # no query log in this process
    os.environ.setdefault("DJANGO_SECRET_KEY", "load-smoke-only-" + "x" * 50)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    return connections["owner"]


def _targets(conn, pool_size: int, rng: random.Random) -> list[tuple[int, list[int]]]:
    """Open slots of active companies with the company's non-merged people as candidates.

    One query up front; the clients then share this small pool so they collide on purpose.
    """
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT s.company_slot_id, array_agg(c.contact_id ORDER BY c.contact_id)
              FROM company.company_slot s
              JOIN company.company co ON co.company_id = s.company_id
              JOIN people.contact c ON c.company_id = s.company_id AND c.status <> 'merged'
             WHERE s.contact_id IS NULL AND co.status <> 'archived'
             GROUP BY s.company_slot_id
            HAVING count(*) >= 2
            """
        )
        rows = [(slot_id, list(ids)) for slot_id, ids in cur.fetchall()]
    rng.shuffle(rows)
    return rows[:pool_size]


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.latencies: list[float] = []
        self.conn_errors = 0
        self.conflicts = 0
        self.assignments = 0
        self.other_refusals = 0
        self.samples: list[str] = []

    def record(self, status: int | None, seconds: float, note: str = "") -> None:
        with self.lock:
            if status is None:
                self.conn_errors += 1
            else:
                self.statuses[status] += 1
                self.latencies.append(seconds)
            if note and len(self.samples) < 5:
                self.samples.append(note)


class Client:
    def __init__(self, base: str, stats: Stats) -> None:
        self.base = base
        self.stats = stats
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int | None, str]:
        """One request (redirects followed); records status and latency; 4xx/5xx never raise."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        t = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as resp:
                status, text = resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.stats.record(None, time.perf_counter() - t, f"{path}: {exc!r}")
            return None, ""
        note = f"{status} {path}: {text[:300]!r}" if status >= 500 else ""
        self.stats.record(status, time.perf_counter() - t, note)
        return status, text

    def login(self) -> None:
        _, page = self.request("/accounts/login/")
        token = CSRF_RE.search(page)
        if not token:
            raise RuntimeError("no CSRF token on the login page")
        status, page = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token[1], "username": DEMO_USER, "password": DEMO_PASSWORD},
        )
        if status != 200 or 'name="password"' in page:
            raise RuntimeError(f"demo login failed (status {status})")

    def assign(self, slot_id: int, candidates: list[int], rng: random.Random) -> None:
        """Open the slot page as a coordinator would, then post the assignment it offers."""
        status, page = self.request(f"/companies/slots/{slot_id}/")
        token = CSRF_RE.search(page or "")
        if status != 200 or not token:
            return
        seen = re.search(r'name="expected_contact_id" value="(\d*)"', page)
        expected = seen[1] if seen else ""
        choices = [c for c in candidates if str(c) != expected] or candidates
        form = {
            "csrfmiddlewaretoken": token[1],
            "contact_id": rng.choice(choices),
            "expected_contact_id": expected,
            "reason": "load smoke replacement" if expected else "",
        }
        status, page = self.request(f"/companies/slots/{slot_id}/assign/", form)
        if status != 200:
            return
        with self.stats.lock:
            if CONFLICT_TEXT in page:
                self.stats.conflicts += 1
            elif "alert-success" in page and " is now in the " in page:
                self.stats.assignments += 1
            else:
                self.stats.other_refusals += 1


def _client_loop(base, stats, targets, stop_at, budget, seed) -> None:
    rng = random.Random(seed)
    client = Client(base, stats)
    try:
        client.login()
    except RuntimeError as exc:
        with stats.lock:
            stats.samples.append(str(exc))
        return
    while time.monotonic() < stop_at and budget.acquire(blocking=False):
        if targets and rng.random() < 0.4:
            client.assign(*rng.choice(targets), rng)
        else:
            client.request(rng.choice(LIST_PAGES))


INVARIANTS = {
    "slot holds a merged person": """
        SELECT count(*) FROM company.company_slot s
          JOIN people.contact c ON c.contact_id = s.contact_id
         WHERE c.status = 'merged'""",
    "(company, role) with more than one slot": """
        SELECT count(*) FROM (SELECT 1 FROM company.company_slot
                              GROUP BY company_id, role_code HAVING count(*) > 1) d""",
    "filled slot whose latest history names another person": """
        SELECT count(*) FROM company.company_slot s
          CROSS JOIN LATERAL (
                SELECT h.new_values ->> 'contact_id' AS contact_id
                  FROM company.history h
                 WHERE h.company_slot_id = s.company_slot_id
                   AND h.table_name = 'company_slot' AND h.new_values ? 'contact_id'
                 ORDER BY h.changed_at DESC, h.history_id DESC LIMIT 1) last
         WHERE s.contact_id IS NOT NULL
           AND last.contact_id IS DISTINCT FROM s.contact_id::text""",
    "filled slot with no history row setting its person": """
        SELECT count(*) FROM company.company_slot s
         WHERE s.contact_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM company.history h
                WHERE h.company_slot_id = s.company_slot_id
                  AND h.table_name = 'company_slot' AND h.new_values ? 'contact_id')""",
}


def _check_invariants(conn) -> dict[str, int]:
    out = {}
    with conn.cursor() as cur:
        for name, sql in INVARIANTS.items():
            cur.execute(sql)
            out[name] = cur.fetchone()[0]
    return out


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))] if s else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--requests", type=int, default=4000, help="stop after this many")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--pool", type=int, default=12, help="open slots the clients share")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args(argv)

    _manage("migrate", "--database", "owner", "--verbosity", "0")
    _manage("seed_demo", "--companies", "60", "--if-empty")
    _manage("ensure_demo_login", "--force")
    conn = _owner_connection()
    targets = _targets(conn, args.pool, random.Random(args.seed))
    conn.close()

    stats = Stats()
    with gunicorn(_env()) as base:
        stop_at = time.monotonic() + args.seconds
        budget = threading.Semaphore(args.requests)
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=_client_loop,
                args=(base, stats, targets, stop_at, budget, args.seed + i),
                daemon=True,
            )
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started

    conn = _owner_connection()
    violations = _check_invariants(conn)
    conn.close()

    total = sum(stats.statuses.values()) + stats.conn_errors
    server_errors = sum(n for code, n in stats.statuses.items() if code >= 500)
    rows = [
        ("clients", args.clients),
        ("shared open slots", len(targets)),
        ("requests", total),
        ("requests/s", f"{total / elapsed:.1f}" if elapsed else "-"),
        ("p50 ms", f"{_pct(stats.latencies, 50) * 1000:.1f}"),
        ("p95 ms", f"{_pct(stats.latencies, 95) * 1000:.1f}"),
        ("statuses", ", ".join(f"{k}: {v}" for k, v in sorted(stats.statuses.items()))),
        ("5xx", server_errors),
        ("connection errors", stats.conn_errors),
        ("conflicts reported", stats.conflicts),
        ("assignments made", stats.assignments),
        ("other refusals", stats.other_refusals),
    ] + [(f"violations: {name}", n) for name, n in violations.items()]
    width = max(len(label) for label, _ in rows)
    print(f"\nLoad smoke against {DB_NAME} ({elapsed:.1f} s)")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    for sample in stats.samples:
        print(f"  ! {sample}")
    failed = server_errors or stats.conn_errors or sum(violations.values()) or not stats.latencies
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
