"""B15: list pages under gunicorn (2 workers) while an ingest runs.

gunicorn serves the bench database with production settings (DEBUG off, collected static files,
plain HTTP on loopback). Four client threads sign in as the bench coordinator and cycle the B1
list pages. The run alternates quiet and busy phases (quiet, busy, quiet, busy) so machine noise
hits both alike; in busy phases one more thread feeds ``intake.f_ingest_json`` with 5,000-row
jsonb[] batches, each rolled back so the dataset is unchanged. Figures: pages/s and p95 for
each kind of phase, their ratio, and every error (any 5xx or connection error is a failure).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time

from bench.load_smoke import BIN, HOST, ROOT, Client, Stats, gunicorn

PASSWORD = "bench-mixed-load-2026"
CLIENTS = 4
INGEST_BATCH = 5000


def _server_env(db_name: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        EMBEDDED_DB_NAME=db_name,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or "bench-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="outreach_admin.settings",
        LOG_LEVEL="WARNING",
    )
    return env


class _Client(Client):
    def __init__(self, base, stats, username):
        super().__init__(base, stats)
        self.username = username

    def login(self) -> None:
        from bench.load_smoke import CSRF_RE

        _, page = self.request("/accounts/login/")
        token = CSRF_RE.search(page)
        status, page = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token[1], "username": self.username, "password": PASSWORD},
        )
        if status != 200 or 'name="password"' in page:
            raise RuntimeError(f"bench login failed (status {status})")


def _ingest_loop(stop: threading.Event, counter: list[int]) -> None:
    """Feed f_ingest_json until told to stop; each batch rolled back (dataset unchanged)."""
    import json

    from django.db import connections
    from psycopg.types.json import Jsonb

    from bench.ops.ingest import _ingest_rows

    conn = connections["owner"]
    conn.ensure_connection()
    pg = conn.connection
    n = 0
    try:
        while not stop.is_set():
            rows = [json.loads(r) for r in _ingest_rows(INGEST_BATCH, f"b15x{time.time_ns()}")]
            with pg.transaction(force_rollback=True), pg.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM intake.f_ingest_json(%b, 'bench', %s)",
                    [[Jsonb(r) for r in rows], f"bench-b15-{n}"],
                )
            n += 1
            counter[0] += INGEST_BATCH
    finally:
        conn.close()


def _phase(base, username, urls, seconds, ingest: bool) -> dict:
    stats = Stats()
    clients = [_Client(base, stats, username) for _ in range(CLIENTS)]
    for c in clients:
        c.login()
    stats.statuses.clear()
    stats.latencies.clear()
    stop = threading.Event()
    ingested = [0]
    feeder = None
    if ingest:
        feeder = threading.Thread(target=_ingest_loop, args=(stop, ingested), daemon=True)
        feeder.start()
        time.sleep(1.0)  # let the first batch get going before the clock starts

    deadline = time.monotonic() + seconds

    def cycle(client, offset):
        i = offset
        while time.monotonic() < deadline:
            client.request(urls[i % len(urls)])
            i += 1

    threads = [
        threading.Thread(target=cycle, args=(c, k), daemon=True) for k, c in enumerate(clients)
    ]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    stop.set()
    if feeder:
        feeder.join(timeout=120)
    lat = sorted(stats.latencies)
    errors = stats.conn_errors + sum(n for code, n in stats.statuses.items() if code >= 400)
    return {
        "ingest": ingest,
        "pages": len(lat),
        "seconds": round(elapsed, 1),
        "pages_per_s": round(len(lat) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(lat[len(lat) // 2] * 1000, 1) if lat else None,
        "p95_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.95))] * 1000, 1) if lat else None,
        "errors": errors,
        "statuses": dict(stats.statuses),
        "rows_ingested": ingested[0],
        "samples": stats.samples[:3],
    }


def measure_mixed_load(db_name: str, user, urls: list[str], seconds: float = 20) -> dict:
    """Quiet/busy phases against gunicorn; figures for B15 (see the module docstring)."""
    user.set_password(PASSWORD)
    user.save(using="owner")
    env = _server_env(db_name)
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    phases = []
    with gunicorn(env, "--timeout", "120") as base:
        _phase(base, user.username, urls, 3, ingest=False)  # warm-up: imports, caches
        for ingest in (False, True, False, True):
            phases.append(_phase(base, user.username, urls, seconds, ingest))

    def combine(busy):
        ps = [p for p in phases if p["ingest"] is busy]
        pages = sum(p["pages"] for p in ps)
        secs = sum(p["seconds"] for p in ps)
        return {
            "pages": pages,
            "pages_per_s": round(pages / secs, 1) if secs else 0,
            "p95_ms": max(p["p95_ms"] or 0 for p in ps),
            "p50_ms": max(p["p50_ms"] or 0 for p in ps),
            "errors": sum(p["errors"] for p in ps),
        }

    quiet, busy = combine(False), combine(True)
    return {
        "workers": 2,
        "clients": CLIENTS,
        "urls": urls,
        "phase_seconds": seconds,
        "quiet": quiet,
        "busy": busy,
        "rows_ingested": sum(p["rows_ingested"] for p in phases),
        "p95_ratio": round(busy["p95_ms"] / quiet["p95_ms"], 2) if quiet["p95_ms"] else None,
        "phases": phases,
    }
