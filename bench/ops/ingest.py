"""Ingest vs COPY (B9), ingest throughput over the seed (B10), promote vs the same promotion
without history triggers (B11)."""

from __future__ import annotations

import statistics
import time

from django.db import connections

from bench.ops.common import _cur, rolled_back

# --- B9: ingest vs COPY -----------------------------------------------------------------------


def _ingest_rows(n, tag):
    """n JSON rows, 10% repeating an earlier row's email (fresh emails per tag)."""
    import json

    rows, emails = [], []
    for i in range(n):
        if i >= 10 and i % 10 == 0:
            email = emails[i - 7]
        else:
            email = f"bench.{tag}.{i}@b{i % 997}.example.org"
        emails.append(email)
        rows.append(
            json.dumps(
                {
                    "email": email,
                    "full_name": f"Bench Person {i}",
                    "title": "Controller",
                    "company_name": f"Bench Co {i % 997}",
                }
            )
        )
    return rows


def measure_ingest(n, runs=5, batch=5000) -> dict:
    """The upload path (``batch_ingest_stream`` → f_ingest_json, jsonb[] in binary, ``batch``-row
    chunks, as the app's runtime login) vs COPY of the same rows into the same table
    (``intake.raw_loads``, as the owner). Both rolled back, interleaved, median of ``runs``.
    """
    import json

    from intake.services import batch_ingest_stream

    owner = connections["owner"]
    owner.ensure_connection()
    fn, ref, flagged = [], [], []
    expected_dups = len([i for i in range(n) if i >= 10 and i % 10 == 0])
    for run in range(runs):
        tag = f"r{run}x{time.time_ns()}"
        rows = [json.loads(r) for r in _ingest_rows(n, tag)]
        batch_id = f"bench-b9-{tag}"
        with rolled_back(using="default"):
            t = time.perf_counter()
            batch_ingest_stream(
                rows=iter(rows), source="bench", batch_id=batch_id, chunk_size=batch
            )
            fn.append(time.perf_counter() - t)
            with _cur("default") as cur:
                cur.execute(
                    "SELECT count(*) FROM intake.raw_loads WHERE batch_id = %s "
                    "AND status = 'duplicate'",
                    [batch_id],
                )
                flagged.append(cur.fetchone()[0])
        with rolled_back(), owner.connection.cursor() as cur:
            t = time.perf_counter()
            with cur.copy("COPY intake.raw_loads (batch_id, source, raw_data) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row((f"bench-copy-{tag}", "bench", json.dumps(r)))
            ref.append(time.perf_counter() - t)
    f, c = statistics.median(fn), statistics.median(ref)
    return {
        "rows": n,
        "path": "intake.services.batch_ingest_stream (upload path) vs COPY into intake.raw_loads",
        "f_ingest_json_s": round(f, 3),
        "copy_s": round(c, 3),
        "rows_per_s": round(n / f),
        "ratio_vs_copy": round(c / f, 3),
        "duplicates_expected": expected_dups,
        "duplicates_flagged": flagged,
    }


# --- B10: ingest throughput over the seeding run ----------------------------------------------


def measure_ingest_decay() -> dict | None:
    """Throughput per decile of the seed's ingest batches (from intake.audit_log timestamps)."""
    with _cur() as cur:
        cur.execute("""
            SELECT record_count, created_at FROM intake.audit_log
            WHERE action = 'batch_ingested' AND batch_id LIKE 'scale-%%' ORDER BY log_id""")
        rows = cur.fetchall()
    if len(rows) < 20:
        return None
    gaps = [((b[1] - a[1]).total_seconds(), b[0]) for a, b in zip(rows, rows[1:], strict=False)]
    d = len(gaps) // 10

    def thr(part):
        secs = sum(g for g, _ in part)
        return sum(n for _, n in part) / secs if secs > 0 else None

    first, last = thr(gaps[:d]), thr(gaps[-d:])
    return {
        "batches": len(rows),
        "first_decile_rows_per_s": round(first or 0),
        "last_decile_rows_per_s": round(last or 0),
        "ratio": round(last / first, 3) if first and last else None,
    }


# --- B11: promote vs the same promotion without row-level history triggers --------------------


# The row-level history triggers (public.trigger_history) a promotion fires: on companies,
# slots, people and verifications. B11's reference turns them off inside its rolled-back run.
HISTORY_TRIGGERS_SQL = (
    "SELECT t.tgrelid::regclass::text, quote_ident(t.tgname) FROM pg_trigger t"
    " WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'"
    " AND t.tgfoid = 'public.trigger_history'::regproc ORDER BY 1, 2"
)


def promote_without_history(cur, ids) -> float:
    """The same ``vault.f_promote_contacts`` call with every history trigger disabled (ALTER
    TABLE … DISABLE TRIGGER in the caller's transaction, which must be rolled back: the
    triggers are enabled again with it); its time in seconds."""
    cur.execute(HISTORY_TRIGGERS_SQL)
    for table, trigger in cur.fetchall():
        cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")  # names from pg_trigger
    t = time.perf_counter()
    cur.execute("SELECT * FROM vault.f_promote_contacts(%s)", [ids])
    cur.fetchall()
    return time.perf_counter() - t


def measure_promote(n, runs=5) -> dict:
    """vault.f_promote_contacts over n pending seeded loads vs the same call with row-level
    history triggers off (the reference: B11 ≥ 0.7×; history itself stays complete), plus the
    time extrapolated to 100,000 loads (≤ 30 s) and COPY into an empty clone for scale."""
    conn = connections["owner"]
    conn.ensure_connection()
    pg = conn.connection
    with pg.cursor() as cur:
        cur.execute(
            "SELECT load_id FROM intake.raw_loads WHERE status = 'pending' "
            "ORDER BY load_id LIMIT %s",
            [n],
        )
        ids = [r[0] for r in cur.fetchall()]
        cur.execute(
            "SELECT count(*) FROM intake.raw_loads r JOIN people.contact p "
            "ON lower(p.email) = r.metadata->>'email_normalized' "
            "WHERE r.load_id = ANY(%s)",
            [ids],
        )
        existing = cur.fetchone()[0]
        cur.execute(
            "SELECT lower(raw_data->>'email'), source, raw_data FROM intake.raw_loads "
            "WHERE load_id = ANY(%s)",
            [ids],
        )
        copy_rows = cur.fetchall()
    fn, ref, bare, rerun, result = [], [], [], [], None
    for _ in range(runs):
        with rolled_back(), pg.cursor() as cur:
            t = time.perf_counter()
            cur.execute("SELECT * FROM vault.f_promote_contacts(%s)", [ids])
            result = cur.fetchall()
            fn.append(time.perf_counter() - t)
            cur.execute(
                "SELECT promoted_count + updated_count FROM vault.f_promote_contacts(%s)", [ids]
            )
            rerun.append(cur.fetchone()[0])
        with rolled_back(), pg.cursor() as cur:
            cur.execute("CREATE TEMP TABLE b11_clone (LIKE vault.contacts INCLUDING ALL)")
            t = time.perf_counter()
            with cur.copy("COPY b11_clone (email, source, custom_fields) FROM STDIN") as cp:
                for e, s, raw in copy_rows:
                    cp.write_row((e, s, __import__("json").dumps(raw)))
            ref.append(time.perf_counter() - t)
        with rolled_back(), pg.cursor() as cur:
            bare.append(promote_without_history(cur, ids))
    f, c, h = statistics.median(fn), statistics.median(ref), statistics.median(bare)
    return {
        "loads": len(ids),
        "loads_matching_existing_people": existing,
        "promote_s": round(f, 3),
        "no_history_s": round(h, 3),
        "ratio_vs_no_history": round(h / f, 3),
        "per_100k_s": round(f * 100_000 / max(len(ids), 1), 1),
        "copy_s": round(c, 3),
        "ratio_vs_copy": round(c / f, 3),
        "result": [list(map(str, r)) for r in (result or [])],
        "rerun_changed_rows": rerun,
    }
