"""Build (or reuse) the dataset: the generator's SQL helpers, the steps in order, the counts."""

from __future__ import annotations

import json
import time

from django.core.management.base import CommandError
from django.db import transaction

from bench.seed_scale.steps import STEP_FUNCS, raw_loads
from bench.seed_scale.vocabulary import (
    FN1,
    FN2,
    FN3,
    SYL1,
    SYL2,
    SYL3,
    TITLES,
    counts_for,
    sql_array,
)

STEPS = (
    "functions",
    "companies",
    "people",
    "slots",
    "campaigns",
    "messages",
    "raw_loads",
    "derived",
)


def functions_sql(seed: int) -> str:
    """The generator's helper functions (schema ``bench``), all pure in (seed, tag, i)."""
    titles = [t for t, w in TITLES for _ in range(w)]
    return f"""
    CREATE SCHEMA IF NOT EXISTS bench;
    CREATE TABLE IF NOT EXISTS bench.dataset (
        size text NOT NULL, seed integer NOT NULL, built_at timestamptz, counts jsonb,
        PRIMARY KEY (size, seed));
    CREATE TABLE IF NOT EXISTS bench.dataset_step (
        size text, seed integer, step text, seconds numeric, PRIMARY KEY (size, seed, step));
    CREATE TABLE IF NOT EXISTS bench.injected_duplicate (
        duplicate_id bigint PRIMARY KEY, original_id bigint NOT NULL);
    -- u(tag, i): uniform in [0, 1), deterministic in (seed, tag, i).
    CREATE OR REPLACE FUNCTION bench.u(tag text, i bigint) RETURNS double precision
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN (hashtext('{seed}:' || tag || ':' || i)::bigint + 2147483648) / 4294967296.0;
    -- zipf(tag, i, n, k): rank in [0, n), P(rank) ~ 1/(rank + k) (log-uniform with offset k).
    CREATE OR REPLACE FUNCTION bench.zipf(tag text, i bigint, n integer, k integer)
        RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN least(n - 1, greatest(0,
            floor(exp(bench.u(tag, i) * ln((n + k)::float8 / k)) * k)::integer - k));
    CREATE OR REPLACE FUNCTION bench.surname(r integer) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN initcap(({sql_array(SYL1)})[1 + r % 60] || ({sql_array(SYL2)})[1 + (r / 60) % 60]
                       || ({sql_array(SYL3)})[1 + (r / 3600) % 20]);
    CREATE OR REPLACE FUNCTION bench.firstname(r integer) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN ({sql_array(FN1)})[1 + r % 30] || ({sql_array(FN2)})[1 + (r / 30) % 30]
               || ({sql_array(FN3)})[1 + (r / 900) % 4];
    -- A person's base name: first and last drawn independently, Zipf over large pools.
    CREATE OR REPLACE FUNCTION bench.first_of(i bigint) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN bench.firstname(bench.zipf('fn', i, 3600, 8));
    CREATE OR REPLACE FUNCTION bench.last_of(i bigint) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN bench.surname(bench.zipf('ln', i, 72000, 60));
    CREATE OR REPLACE FUNCTION bench.pick(tag text, i bigint, a text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN a[1 + floor(bench.u(tag, i) * cardinality(a))::integer];
    CREATE OR REPLACE FUNCTION bench.title_of(i bigint) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN bench.pick('title', i, {sql_array(titles)});
    """


def build(conn, *, size: str, seed: int, log=print) -> dict:
    """Build the dataset step by step (skipping finished steps); return status and counts."""
    n = counts_for(size)
    with conn.cursor() as cur:
        cur.execute(functions_sql(seed))
        cur.execute("SELECT size, seed, built_at FROM bench.dataset")
        existing = cur.fetchall()
    others = [(s, sd) for s, sd, _ in existing if (s, sd) != (size, seed)]
    if others:
        raise CommandError(f"This database already holds dataset {others}; use another database.")
    with conn.cursor() as cur:
        cur.execute(
            "SELECT step FROM bench.dataset_step WHERE size = %s AND seed = %s", [size, seed]
        )
        done = {r[0] for r in cur.fetchall()}
    if existing and existing[0][2] is not None:
        # A dataset built before a step existed (e.g. "derived", issue 18) gets that step now.
        missing = [s for s in STEPS[1:] if s not in done]
        if missing:
            _run_steps(conn, n, size, seed, log, missing)
            with conn.cursor() as cur:
                cur.execute("ANALYZE company.company")
        return {"status": "reused", "counts": dataset_counts(conn)}
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO bench.dataset (size, seed) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [size, seed],
        )
    _run_steps(conn, n, size, seed, log, [s for s in STEPS[1:] if s not in done])
    with conn.cursor() as cur:
        for table in (
            "company.company",
            "company.company_slot",
            "people.contact",
            "people.contact_verification",
            "intake.raw_loads",
            "marketing.campaign",
            "marketing.campaign_contact",
            "marketing.message_log",
        ):
            cur.execute(f"ANALYZE {table}")
        counts = dataset_counts(conn)
        cur.execute(
            "UPDATE bench.dataset SET built_at = now(), counts = %s::jsonb "
            "WHERE size = %s AND seed = %s",
            [json.dumps(counts), size, seed],
        )
    return {"status": "built", "counts": counts}


def _run_steps(conn, n, size, seed, log, steps) -> None:
    """Run ``steps`` in order, each recorded in ``bench.dataset_step`` when it finishes."""
    for step in steps:
        t = time.monotonic()
        if step == "raw_loads":
            # Autocommit per batch: an interrupted ingest resumes at the first missing batch.
            with conn.cursor() as cur:
                raw_loads(cur, n, size, seed, log)
        else:
            with transaction.atomic(using=conn.alias), conn.cursor() as cur:
                cur.execute("SET LOCAL session_replication_role = replica")
                STEP_FUNCS[step](cur, n, size, seed, log)
        with conn.cursor() as cur:
            cur.execute(
                "INSERT INTO bench.dataset_step VALUES (%s, %s, %s, %s)",
                [size, seed, step, round(time.monotonic() - t, 2)],
            )
        log(f"  {step}: {time.monotonic() - t:.1f}s")


def renewal_dates_missing(conn) -> int:
    """Companies with a renewal month but no stored renewal date or window start (must be 0)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM company.company WHERE renewal_month IS NOT NULL"
            " AND (next_renewal_date IS NULL OR campaign_window_start IS NULL)"
        )
        return cur.fetchone()[0]


def dataset_counts(conn) -> dict[str, int]:
    """Exact row counts of the generated tables."""
    tables = {
        "companies": "company.company",
        "slots": "company.company_slot",
        "people": "people.contact",
        "raw_loads": "intake.raw_loads",
        "campaigns": "marketing.campaign",
        "members": "marketing.campaign_contact",
        "messages": "marketing.message_log",
    }
    out = {}
    with conn.cursor() as cur:
        for key, table in tables.items():
            cur.execute(f"SELECT count(*) FROM {table}")
            out[key] = cur.fetchone()[0]
    return out
