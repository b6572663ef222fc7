"""Deterministic, set-based scale dataset for the benchmarks (issue 11).

``manage.py seed_scale --size S|M|L [--seed N] [--db ALIAS]`` fills an (otherwise empty)
database with companies, slots, people, verifications, raw loads, campaigns, members and
messages. Every value is a pure function of ``(seed, table, row number)`` through
``hashtext`` (no ``random()``), so the same seed gives the same data on any machine.

Bulk-load choices, on purpose:
* Rows are made by ``INSERT … SELECT … FROM generate_series`` on the server, never the ORM.
* Company, slot, person, member and message inserts run with
  ``session_replication_role = replica`` (the owner is a superuser): per-row history, guard and
  normalisation triggers would otherwise dominate the load time. The generator writes values
  that already satisfy those rules (normalised names, filled_at set for filled slots, members
  only green and active, counts recomputed), and sequences are moved past the explicit ids.
* Raw loads go through ``intake.f_ingest_json`` (FORCEd RLS forbids direct inserts, and the
  function is what the app uses), in batches whose ``jsonb[]`` is built server-side.

Resumable: each finished step is recorded in ``bench.dataset_step``; ingest batches already
present are skipped. A dataset for another size or seed in the same database is refused.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

M_COUNTS = {
    "companies": 100_000,
    "people": 500_000,
    "raw_loads": 1_000_000,
    "batches": 2_000,
    "messages": 2_000_000,
    "campaigns": 100,
    "members": 500_000,
}
SIZES = {"XS": 0.001, "S": 0.1, "M": 1.0, "L": 10.0}
DEV_DATABASES = {"outreach"}

# Syllables for synthetic surnames: 60 × 60 × 20 = 72,000 distinct combinations.
SYL1 = [
    "al",
    "an",
    "ar",
    "ba",
    "be",
    "bo",
    "br",
    "ca",
    "ce",
    "ch",
    "co",
    "da",
    "de",
    "do",
    "el",
    "er",
    "fa",
    "fe",
    "fi",
    "fo",
    "ga",
    "ge",
    "go",
    "ha",
    "he",
    "ho",
    "ja",
    "je",
    "jo",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "no",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "to",
    "va",
    "ve",
    "wa",
]
SYL2 = [
    "b",
    "bb",
    "c",
    "ck",
    "d",
    "dd",
    "f",
    "g",
    "gg",
    "h",
    "k",
    "l",
    "ll",
    "m",
    "mm",
    "n",
    "nn",
    "p",
    "pp",
    "r",
    "rr",
    "s",
    "ss",
    "t",
    "tt",
    "v",
    "w",
    "z",
    "ber",
    "ven",
    "din",
    "len",
    "mar",
    "ner",
    "son",
    "ton",
    "ver",
    "wel",
    "bur",
    "der",
    "fel",
    "gan",
    "har",
    "kin",
    "lan",
    "mon",
    "nor",
    "ran",
    "sen",
    "tar",
    "vin",
    "wal",
    "rick",
    "mund",
    "land",
    "ford",
    "ley",
    "rton",
    "well",
    "ing",
]
SYL3 = [
    "a",
    "e",
    "i",
    "o",
    "y",
    "er",
    "en",
    "an",
    "on",
    "el",
    "ell",
    "ard",
    "ins",
    "ett",
    "man",
    "ley",
    "s",
    "son",
    "stein",
    "berg",
]
# First names: 30 × 30 × 4 = 3,600 combinations.
FN1 = [
    "A",
    "Be",
    "Ca",
    "Da",
    "E",
    "Fa",
    "Ga",
    "Ha",
    "I",
    "Ja",
    "Ka",
    "La",
    "Ma",
    "Na",
    "O",
    "Pa",
    "Ra",
    "Sa",
    "Ta",
    "U",
    "Va",
    "Wa",
    "Xe",
    "Ya",
    "Za",
    "Bri",
    "Cla",
    "Dre",
    "Fre",
    "Gre",
]
FN2 = [
    "b",
    "d",
    "l",
    "m",
    "n",
    "r",
    "s",
    "t",
    "v",
    "z",
    "lan",
    "ran",
    "son",
    "der",
    "mi",
    "li",
    "na",
    "ri",
    "ta",
    "ni",
    "ro",
    "lo",
    "ne",
    "se",
    "ve",
    "ca",
    "ke",
    "ma",
    "da",
    "ko",
]
FN3 = ["", "a", "o", "ie"]
TITLES = [
    ("Chief Executive Officer", 6),
    ("CEO", 4),
    ("Chief Financial Officer", 4),
    ("CFO", 3),
    ("VP Finance", 3),
    ("HR Director", 4),
    ("Head of People", 3),
    ("Chief Operating Officer", 3),
    ("Software Engineer", 12),
    ("Sales Manager", 10),
    ("Account Executive", 10),
    ("Marketing Manager", 8),
    ("Office Manager", 6),
    ("Operations Analyst", 8),
    ("Controller", 4),
    ("Benefits Specialist", 4),
    ("Founder", 3),
    ("Product Manager", 5),
]
INDUSTRIES = [
    "Manufacturing",
    "Healthcare",
    "Retail",
    "Construction",
    "Logistics",
    "Education",
    "Hospitality",
    "Financial Services",
    "Software",
    "Legal",
    "Real Estate",
    "Energy",
    "Agriculture",
    "Media",
    "Nonprofit",
    "Automotive",
    "Insurance",
    "Telecommunications",
    "Biotech",
    "Government",
]
STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
]
STEPS = ("functions", "companies", "people", "slots", "campaigns", "messages", "raw_loads")


def counts_for(size: str) -> dict[str, int]:
    """Row counts for a size: M as stated in the issue, the others scaled (at least 1)."""
    factor = SIZES[size]
    return {k: max(1, round(v * factor)) for k, v in M_COUNTS.items()}


def _arr(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


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
        RETURN initcap(({_arr(SYL1)})[1 + r % 60] || ({_arr(SYL2)})[1 + (r / 60) % 60]
                       || ({_arr(SYL3)})[1 + (r / 3600) % 20]);
    CREATE OR REPLACE FUNCTION bench.firstname(r integer) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN ({_arr(FN1)})[1 + r % 30] || ({_arr(FN2)})[1 + (r / 30) % 30]
               || ({_arr(FN3)})[1 + (r / 900) % 4];
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
        RETURN bench.pick('title', i, {_arr(titles)});
    """


class Command(BaseCommand):
    help = "Build (or reuse) a deterministic benchmark dataset: --size S|M|L [--seed N]."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="S")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--db", default="owner", help="database alias (must be a superuser connection)"
        )
        parser.add_argument(
            "--allow-dev-db", action="store_true", help="allow the dev database 'outreach'"
        )

    def handle(self, *args, size, seed, db, allow_dev_db, **options):
        conn = connections[db]
        name = conn.settings_dict["NAME"]
        if name in DEV_DATABASES and not allow_dev_db:
            raise CommandError(
                f"Refusing to seed the dev database {name!r}: run with "
                "EMBEDDED_DB_NAME=outreach_bench (migrate it first with --database owner)."
            )
        t0 = time.monotonic()
        result = build(conn, size=size, seed=seed, log=self.stdout.write)
        self.stdout.write(
            f"seed_scale {size} seed={seed} on {name}: {result['status']} "
            f"in {time.monotonic() - t0:.1f}s {result['counts']}"
        )


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
    if existing and existing[0][2] is not None:
        return {"status": "reused", "counts": dataset_counts(conn)}
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO bench.dataset (size, seed) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [size, seed],
        )
        cur.execute(
            "SELECT step FROM bench.dataset_step WHERE size = %s AND seed = %s", [size, seed]
        )
        done = {r[0] for r in cur.fetchall()}
    for step in STEPS[1:]:
        if step in done:
            continue
        t = time.monotonic()
        if step == "raw_loads":
            # Autocommit per batch: an interrupted ingest resumes at the first missing batch.
            with conn.cursor() as cur:
                _raw_loads(cur, n, size, seed, log)
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


def _companies(cur, n, size, seed, log):
    cur.execute(
        f"""
        INSERT INTO company.company (company_id, company_name, domain, website_url, linkedin_url,
            news_url, industry, employee_count, state_region, country, renewal_month,
            renewal_notice_window_days, status, source_system, last_site_checked_at,
            last_linkedin_checked_at, last_news_checked_at, created_at, updated_at)
        SELECT i, nm || ' ' || bench.pick('csuf', i, ARRAY['Inc','LLC','Group','Holdings',
                   'Partners','Co','Industries','Labs']),
               lower(nm) || i || '.example.com', 'https://' || lower(nm) || i || '.example.com',
               'https://www.linkedin.com/company/' || lower(nm) || i,
               CASE WHEN bench.u('news', i) < 0.5
                    THEN 'https://' || lower(nm) || i || '.example.com/news' END,
               bench.pick('ind', i, {_arr(INDUSTRIES)}),
               (5 + floor(exp(bench.u('emp', i) * ln(2000))))::int,
               bench.pick('st', i, {_arr(STATES)}), 'US',
               1 + floor(bench.u('rm', i) * 12)::int,
               CASE WHEN bench.u('win', i) < 0.4 THEN 30 WHEN bench.u('win', i) < 0.8 THEN 60
                    ELSE 90 END,
               CASE WHEN bench.u('cst', i) < 0.95 THEN 'active'
                    WHEN bench.u('cst', i) < 0.98 THEN 'inactive' ELSE 'archived' END,
               'seed_scale',
               now() - bench.u('lsc', i) * interval '120 days',
               now() - bench.u('llc', i) * interval '120 days',
               now() - bench.u('lnc', i) * interval '120 days',
               now() - bench.u('cc', i) * interval '730 days', now()
        FROM generate_series(1, {n["companies"]}) AS i,
             LATERAL (SELECT bench.surname(bench.zipf('cn', i, 72000, 200))
                             || bench.pick('cn2', i, ARRAY['','tech','ware','works','corp',
                                'field','point','line','stone','bridge']) AS nm) AS x
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('company.company', 'company_id'), "
        "(SELECT max(company_id) FROM company.company))"
    )


def _people(cur, n, size, seed, log):
    np_, nc = n["people"], n["companies"]
    ndup = max(1, np_ // 50)  # 2% near-duplicates, the last ids
    base = np_ - ndup
    cur.execute(
        f"""
        INSERT INTO people.contact (contact_id, full_name, first_name, last_name, title, email,
            linkedin_url, company_id, status, source_system, last_profile_checked_at,
            created_at, updated_at)
        SELECT i, fn || ' ' || ln, fn, ln, bench.title_of(i),
               lower(fn || '.' || ln || '.' || i) || '@' ||
                   CASE WHEN bench.u('pm', i) < 0.1 THEN 'gmail.com'
                        ELSE 'c' || cid || '.example.com' END,
               CASE WHEN bench.u('li', i) < 0.7
                    THEN 'https://www.linkedin.com/in/' || lower(fn || '-' || ln || '-' || i) END,
               cid,
               CASE WHEN bench.u('pst', i) < 0.97 THEN 'active'
                    WHEN bench.u('pst', i) < 0.985 THEN 'inactive'
                    WHEN bench.u('pst', i) < 0.995 THEN 'bounced' ELSE 'unsubscribed' END,
               'seed_scale', now() - bench.u('plc', i) * interval '120 days',
               now() - bench.u('pc', i) * interval '730 days', now()
        FROM generate_series(1, {base}) AS i,
             LATERAL (SELECT bench.first_of(i) AS fn, bench.last_of(i) AS ln,
                             1 + floor(bench.u('pco', i) * {nc})::bigint AS cid) AS x
        """
    )
    # Near-duplicates: same company and first name as an earlier person, surname with one edit
    # (a doubled or dropped letter) or unchanged, and a personal email.
    cur.execute(
        f"""
        INSERT INTO bench.injected_duplicate (duplicate_id, original_id)
        SELECT {base} + j, 1 + floor(bench.u('dupo', j) * {base})::bigint
        FROM generate_series(1, {ndup}) AS j
        ON CONFLICT DO NOTHING
        """
    )
    cur.execute(
        """
        INSERT INTO people.contact (contact_id, full_name, first_name, last_name, title, email,
            company_id, status, source_system, last_profile_checked_at, created_at, updated_at)
        SELECT d.duplicate_id, o.first_name || ' ' || ln2, o.first_name, ln2, o.title,
               lower(o.first_name || ln2 || d.duplicate_id) || '@gmail.com',
               o.company_id, 'active', 'seed_scale',
               now() - bench.u('plc', d.duplicate_id) * interval '120 days', now(), now()
        FROM bench.injected_duplicate d
        JOIN people.contact o ON o.contact_id = d.original_id,
        LATERAL (SELECT CASE
            WHEN bench.u('dedit', d.duplicate_id) < 0.4 THEN o.last_name
            WHEN bench.u('dedit', d.duplicate_id) < 0.7
                THEN left(o.last_name, length(o.last_name) - 1)
            ELSE o.last_name || right(o.last_name, 1) END AS ln2) AS x
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('people.contact', 'contact_id'), "
        "(SELECT max(contact_id) FROM people.contact))"
    )
    cur.execute(
        """
        INSERT INTO people.contact_verification (contact_id, email_status, email_checked_at,
            email_confidence, provider, created_at, updated_at)
        SELECT p.contact_id,
               CASE WHEN u < 0.25 THEN 'green' WHEN u < 0.55 THEN 'yellow'
                    WHEN u < 0.70 THEN 'red' ELSE 'gray' END,
               CASE WHEN u < 0.70 THEN now() - bench.u('vck', p.contact_id) * interval '120 days'
               END,
               CASE WHEN u < 0.70 THEN round((50 + 50 * bench.u('vcf', p.contact_id))::numeric, 2)
               END,
               'seed_scale', now(), now()
        FROM people.contact p, LATERAL (SELECT bench.u('ver', p.contact_id) AS u) AS x
        """
    )


def _slots(cur, n, size, seed, log):
    # ~40% of slots filled, each by a distinct person of the same company.
    cur.execute(
        """
        CREATE TEMP TABLE seed_company_people ON COMMIT DROP AS
        SELECT company_id, contact_id,
               row_number() OVER (PARTITION BY company_id ORDER BY contact_id) - 1 AS rn
        FROM people.contact WHERE status = 'active'
        """
    )
    cur.execute("CREATE INDEX ON seed_company_people (company_id, rn)")
    cur.execute(
        """
        INSERT INTO company.company_slot (company_slot_id, company_id, role_code, contact_id,
            filled_at, last_refreshed_at, created_at, updated_at)
        SELECT (c.company_id - 1) * 3 + r.k + 1, c.company_id, r.role, cp.contact_id,
               CASE WHEN cp.contact_id IS NOT NULL
                    THEN now() - bench.u('sfa', c.company_id * 3 + r.k) * interval '365 days' END,
               now() - bench.u('srf', c.company_id * 3 + r.k) * interval '120 days', now(), now()
        FROM company.company c
        CROSS JOIN (VALUES (0, 'CEO'), (1, 'CFO'), (2, 'HR')) AS r(k, role)
        LEFT JOIN seed_company_people cp
          ON cp.company_id = c.company_id AND cp.rn = r.k
         AND bench.u('fill', c.company_id * 3 + r.k) < 0.42
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('company.company_slot', 'company_slot_id'), "
        "(SELECT max(company_slot_id) FROM company.company_slot))"
    )


def _campaigns(cur, n, size, seed, log):
    ncamp, nmem = n["campaigns"], n["members"]
    cur.execute(
        f"""
        INSERT INTO marketing.campaign (campaign_id, name, type, status, target_roles,
            target_count, created_by, started_at, created_at, updated_at)
        SELECT i, 'Scale campaign ' || i,
               bench.pick('ctype', i, ARRAY['cold_outreach','nurture','follow_up','renewal']),
               bench.pick('cstat', i, ARRAY['draft','active','paused','completed','completed',
                   'completed','completed','completed','completed','completed']),
               ARRAY['CEO','CFO','HR'], {nmem} / {ncamp}, 'seed_scale',
               now() - bench.u('cst', i) * interval '200 days',
               now() - bench.u('cst', i) * interval '200 days', now()
        FROM generate_series(1, {ncamp}) AS i
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('marketing.campaign', 'campaign_id'), "
        "(SELECT max(campaign_id) FROM marketing.campaign))"
    )
    # Members: only active people with green emails (the member rules), distinct per campaign.
    cur.execute(
        """
        CREATE TEMP TABLE seed_green ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY p.contact_id) - 1 AS gn, p.contact_id, p.company_id,
               s.role_code
        FROM people.contact p
        JOIN people.contact_verification v USING (contact_id)
        LEFT JOIN company.company_slot s ON s.contact_id = p.contact_id
        WHERE p.status = 'active' AND v.email_status = 'green'
        """
    )
    cur.execute("CREATE INDEX ON seed_green (gn)")
    cur.execute("SELECT count(*) FROM seed_green")
    ngreen = cur.fetchone()[0]
    per = min(ngreen, max(1, nmem // ncamp))
    cur.execute(
        f"""
        INSERT INTO marketing.campaign_contact (campaign_id, contact_id, company_id, role_code,
            status, created_at, updated_at)
        SELECT c, g.contact_id, g.company_id, g.role_code,
               bench.pick('mst', c * 1000003 + j, ARRAY['pending','sent','sent','sent','opened',
                   'opened','replied','bounced','unsubscribed','booked']),
               ca.created_at, ca.created_at
        FROM generate_series(1, {ncamp}) AS c
        JOIN marketing.campaign ca ON ca.campaign_id = c
        CROSS JOIN generate_series(0, {per} - 1) AS j
        JOIN seed_green g
          ON g.gn = (floor(bench.u('moff', c) * {ngreen})::bigint + j) % {ngreen}
        """
    )
    cur.execute(
        """
        UPDATE marketing.campaign c
        SET sent_count = m.sent, response_count = m.resp
        FROM (SELECT campaign_id,
                     count(*) FILTER (WHERE status <> 'pending') AS sent,
                     count(*) FILTER (WHERE status IN ('replied', 'booked')) AS resp
              FROM marketing.campaign_contact GROUP BY campaign_id) m
        WHERE m.campaign_id = c.campaign_id
        """
    )


def _messages(cur, n, size, seed, log):
    cur.execute(
        """
        CREATE TEMP TABLE seed_members ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY campaign_contact_id) - 1 AS mn, campaign_id,
               contact_id
        FROM marketing.campaign_contact
        """
    )
    cur.execute("CREATE INDEX ON seed_members (mn)")
    cur.execute("SELECT count(*) FROM seed_members")
    nm = cur.fetchone()[0]
    cur.execute(
        f"""
        INSERT INTO marketing.message_log (direction, channel, message_type, status, subject,
            sent_at, opened_at, replied_at, created_at, campaign_id, contact_id)
        SELECT CASE WHEN u < 0.9 THEN 'outbound' ELSE 'inbound' END,
               bench.pick('mch', i, ARRAY['email','email','email','linkedin','phone']),
               CASE WHEN u < 0.9 THEN bench.pick('mty', i, ARRAY['initial','follow_up'])
                    ELSE 'reply' END,
               bench.pick('mss', i, ARRAY['sent','sent','opened','replied','bounced']),
               'Renewal outreach ' || (i % 97),
               ts, CASE WHEN bench.u('mop', i) < 0.3 THEN ts + interval '1 day' END,
               CASE WHEN u >= 0.9 THEN ts + interval '2 days' END, ts,
               m.campaign_id, m.contact_id
        FROM generate_series(1, {n["messages"]}) AS i
        CROSS JOIN LATERAL (SELECT bench.u('mdir', i) AS u,
                             now() - bench.u('msa', i) * interval '365 days' AS ts) AS x
        JOIN seed_members m ON m.mn = floor(bench.u('mmem', i) * {nm})::bigint
        """
    )


def _raw_loads(cur, n, size, seed, log):
    """Ingest through intake.f_ingest_json in batches; 10% repeat an email of the last ~1000."""
    nr, nb, np_ = n["raw_loads"], n["batches"], n["people"]
    per = -(-nr // nb)
    cur.execute(
        """
        CREATE OR REPLACE FUNCTION bench.load_email(k bigint, np bigint) RETURNS text
            LANGUAGE sql STABLE PARALLEL SAFE
            RETURN CASE WHEN k % 2 = 0
                        THEN (SELECT p.email FROM people.contact p
                              WHERE p.contact_id = 1 + (k / 2 - 1) % np)
                        ELSE lower(bench.first_of(k + 7919) || '.' || bench.last_of(k + 7919)
                                   || '.n' || k) || '@' || 'co' || (k % 5000) || '.example.net'
                   END
        """
    )
    cur.execute(
        "SELECT batch_id FROM intake.raw_loads WHERE batch_id LIKE %s GROUP BY batch_id",
        [f"scale-{size}-{seed}-%"],
    )
    done = {r[0] for r in cur.fetchall()}
    for b in range(nb):
        batch = f"scale-{size}-{seed}-{b:05d}"
        lo, hi = b * per + 1, min(nr, (b + 1) * per)
        if batch in done or lo > hi:
            continue
        cur.execute(
            f"""
            SELECT count(*) FROM intake.f_ingest_json(
                (SELECT array_agg(jsonb_strip_nulls(jsonb_build_object(
                     'email', bench.load_email(e, {np_}),
                     'full_name', bench.first_of(e + 7919) || ' ' || bench.last_of(e + 7919),
                     'title', bench.title_of(e),
                     'company_name', 'Co ' || (e % 5000),
                     'website', 'https://co' || (e % 5000) || '.example.net',
                     'phone', CASE WHEN bench.u('rph', k) < 0.3
                                   THEN '+1555' || lpad((k % 10000000)::text, 7, '0') END))
                     ORDER BY k)
                 FROM generate_series({lo}, {hi}) AS k,
                 LATERAL (SELECT CASE WHEN bench.u('rep', k) < 0.1 AND k > 1
                                      THEN k - 1 - floor(bench.u('repd', k)
                                                         * least(k - 1, 999))::bigint
                                      ELSE k END AS e) AS x),
                bench.pick('src', {b}, ARRAY['apollo','apify','csv','manual']), '{batch}')
            """
        )
        if b % 100 == 99:
            log(f"    raw_loads batch {b + 1}/{nb}")


STEP_FUNCS = {
    "companies": _companies,
    "people": _people,
    "slots": _slots,
    "campaigns": _campaigns,
    "messages": _messages,
    "raw_loads": _raw_loads,
}
