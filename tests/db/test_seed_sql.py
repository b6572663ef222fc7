"""The seeds' SQL runs verbatim (SCHEMA.md principle 3).

The SQL blocks are read out of the customer's documents at test time, so the tests follow the
documents. Each file's blocks run in document order inside one transaction: a setup written by
the owner makes them meaningful, then every statement runs as the runtime role
(``SET LOCAL ROLE outreach_app``), proving the app role may run them too.

Blocks that are not run, and why:
- ``bash`` blocks (connection string, psql/node invocations, the migration template): shell,
  not SQL; they are filtered out by their fence language.
- Seed 000's unlabelled directory tree and its ``mermaid`` diagram: not SQL.
- Seed 002's "Bypass (for admin)" block (``SET ROLE postgres; … RESET ROLE;``): documentation of
  a superuser escape hatch, not an application query; the runtime role must NOT be able to run
  it (it is not a member of postgres), which tests/db/test_rls.py's territory covers.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlparse
from django.db import connection

_SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
_REPO_SEEDS = Path(__file__).resolve().parents[2] / "docs" / "seeds"
SEEDS = _SHARED_SEEDS if _SHARED_SEEDS.is_dir() else _REPO_SEEDS
SEED_000 = SEEDS / "000_b866a0011d793ea3.txt"
SEED_002 = SEEDS / "002_d933afefae62b649.txt"

FENCE_RE = re.compile(r"^```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^```", re.M | re.S)
PLACEHOLDER_RE = re.compile(r"\$(?!\$)(\w+)")

pytestmark = [pytest.mark.owner, pytest.mark.django_db]


def sql_blocks(path: Path) -> list[tuple[str, str]]:
    """Return (nearest heading, body) of every ```sql block of a document, in order."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for m in FENCE_RE.finditer(text):
        if m.group("lang").lower() != "sql":
            continue
        headings = re.findall(r"^#+\s*(.+)$", text[: m.start()], re.M)
        blocks.append((headings[-1].strip("* ") if headings else "", m.group("body")))
    return blocks


def statements(block: str) -> list[str]:
    """Split a block into statements (comments stay attached to the statement they precede)."""
    out = []
    for stmt in sqlparse.split(block):
        if sqlparse.format(stmt, strip_comments=True).strip():
            out.append(stmt)
    return out


def fetch(cursor) -> list[tuple] | None:
    return cursor.fetchall() if cursor.description else None


class SeedRun:
    """Runs statements as the runtime role and remembers each statement's rows."""

    def __init__(self, cursor, resolve):
        self.cursor = cursor
        self.resolve = resolve
        self.results: list[tuple[str, list[tuple] | None, int]] = []

    def run(self, stmt: str) -> None:
        sql = PLACEHOLDER_RE.sub(lambda m: self.resolve(m.group(1), stmt), stmt)
        self.cursor.execute(sql)
        self.results.append((stmt, fetch(self.cursor), self.cursor.rowcount))

    def rows(self, fragment: str, nth: int = 0) -> list[tuple] | None:
        hits = [r for s, r, _ in self.results if fragment in s]
        assert len(hits) > nth, f"no executed statement contains {fragment!r}"
        return hits[nth]

    def rowcount(self, fragment: str) -> int:
        hits = [n for s, _, n in self.results if fragment in s]
        assert hits, f"no executed statement contains {fragment!r}"
        return hits[0]


def one(cursor, sql: str, params=None):
    cursor.execute(sql, params)
    return cursor.fetchone()


def test_seed_documents_have_the_expected_sql_blocks():
    """The parser finds every SQL block of both seeds (15 in seed 000, 8 in seed 002)."""
    assert len(sql_blocks(SEED_000)) == 15
    assert len(sql_blocks(SEED_002)) == 8


def _seed_000_setup(cursor) -> dict[str, int]:
    """Owner-side data that gives every seed 000 query something to find."""
    cursor.execute("ALTER TABLE company.company ALTER COLUMN company_id RESTART WITH 1001")
    cursor.execute("ALTER TABLE people.contact ALTER COLUMN contact_id RESTART WITH 1001")
    month_soon = (dt.date.today() + dt.timedelta(days=45)).month
    ready = one(
        cursor,
        "INSERT INTO company.company (company_name, website_url, linkedin_url, renewal_month) "
        "VALUES ('Ready Co', 'https://ready.example.com', 'https://linkedin.com/company/ready', "
        "%s) RETURNING company_id",
        [month_soon],
    )[0]
    cursor.execute(
        "INSERT INTO company.company_slot (company_id, role_code) "
        "SELECT %s, r FROM unnest(ARRAY['CEO','CFO','HR']) r",
        [ready],
    )
    grace = one(
        cursor,
        "INSERT INTO people.contact (full_name, email, title, company_id) "
        "VALUES ('Grace Green', 'grace@ready.example.com', 'CFO', %s) RETURNING contact_id",
        [ready],
    )[0]
    cursor.execute(
        "INSERT INTO people.contact_verification (contact_id, email_status) VALUES (%s, 'gray')",
        [grace],
    )
    cursor.execute(
        "UPDATE company.company_slot SET contact_id = %s WHERE company_id = %s AND role_code='CFO'",
        [grace, ready],
    )
    pat = one(
        cursor,
        "INSERT INTO people.contact (full_name, email, linkedin_url) "
        "VALUES ('Pat Profile', 'pat@elsewhere.example.com', 'https://linkedin.com/in/pat') "
        "RETURNING contact_id",
    )[0]
    incomplete = one(
        cursor,
        "INSERT INTO company.company (company_name, website_url) "
        "VALUES ('Incomplete Co', 'https://incomplete.example.com') RETURNING company_id",
    )[0]
    cursor.execute(
        "INSERT INTO company.company_slot (company_id, role_code) VALUES (%s, 'CEO')", [incomplete]
    )
    # Seed 000's example fills "WHERE company_id = 1": the company it creates must get id 1.
    cursor.execute("ALTER TABLE company.company ALTER COLUMN company_id RESTART WITH 1")
    return {"ready": ready, "grace": grace, "pat": pat, "incomplete": incomplete}


def test_seed_000_sql_runs_verbatim_as_the_app_role():
    """Every SQL block of seed 000 runs unchanged, in order, as outreach_app, with its effects."""
    with connection.cursor() as cursor:
        ids = _seed_000_setup(cursor)
        cursor.execute("SET LOCAL ROLE outreach_app")
        assert one(cursor, "SELECT current_user")[0] == "outreach_app"

        def resolve(name: str, stmt: str) -> str:
            if name == "1":  # "WHERE company_id = $1" / "WHERE contact_id = $1"
                return str(ids["ready"] if "company.company" in stmt else ids["grace"])
            if name == "status":
                return "'green'"
            if name == "confidence":
                return "90"
            if name == "campaign_id":
                return str(
                    one(
                        cursor,
                        "SELECT max(campaign_id) FROM marketing.campaign "
                        "WHERE name = 'Q1 2024 Renewals'",
                    )[0]
                )
            if name == "company_id":
                # Seed order puts the campaign example before "Add a New Company", so company 1
                # does not exist yet; the ready company is the meaningful target.
                return str(ids["ready"])
            raise AssertionError(f"unknown placeholder ${name}")

        run = SeedRun(cursor, resolve)
        blocks = sql_blocks(SEED_000)
        for _heading, body in blocks:
            for stmt in statements(body):
                run.run(stmt)

        # Queue views, before anything was checked.
        urls = run.rows("FROM company.next_company_urls_30d;")
        assert ("website" in {r[1] for r in urls}) and len(urls) == 3  # ready×2 + incomplete
        assert [r[0] for r in run.rows("FROM people.next_profile_urls_30d;")] == [ids["pat"]]
        due = {r[0] for r in run.rows("FROM people.due_email_recheck_30d;")}
        assert due == {ids["grace"], ids["pat"]}
        slots = run.rows("FROM company.vw_company_slots;")
        assert ("Ready Co", "CFO", "Grace Green", "grace@ready.example.com", "gray") in [
            r[1:] for r in slots
        ]
        nr = {r[1]: r for r in run.rows("FROM company.vw_next_renewal;")}
        assert set(nr) == {"Ready Co"}
        assert nr["Ready Co"][3] == nr["Ready Co"][2] - dt.timedelta(days=120)
        assert run.rows("SELECT company_id, company_name, next_renewal_date, has_green") == []

        # Scraper pattern: the checked URLs left the queue.
        assert run.rowcount("SET last_site_checked_at = now()") == 1
        assert run.rowcount("SET last_linkedin_checked_at = now()") == 1
        # Email verification pattern turned Grace green, so Ready Co became campaign-ready.
        assert run.rowcount("UPDATE people.contact_verification") == 1
        ready_rows = run.rows("SELECT * FROM company.vw_due_renewals_ready;")
        assert [r[1] for r in ready_rows] == ["Ready Co"]
        assert run.rowcount("INSERT INTO marketing.campaign_contact") == 1
        members = one(
            cursor,
            "SELECT array_agg(cc.contact_id) FROM marketing.campaign_contact cc "
            "JOIN marketing.campaign c USING (campaign_id) WHERE c.name = 'Q1 2024 Renewals'",
        )[0]
        assert members == [ids["grace"]]

        # Usage examples: Acme is company 1, its CEO slot holds John Smith.
        acme = one(
            cursor,
            "SELECT company_id, domain, renewal_month FROM company.company "
            "WHERE company_name = 'Acme Corp'",
        )
        assert acme == (1, "acme.com", 6)
        acme_slots = one(
            cursor,
            "SELECT array_agg(role_code || ':' || coalesce(full_name, '-') ORDER BY role_code) "
            "FROM company.vw_company_slots WHERE company_name = 'Acme Corp'",
        )[0]
        assert acme_slots == ["CEO:John Smith", "CFO:-", "HR:-"]
        assert one(
            cursor,
            "SELECT is_filled, filled_at IS NOT NULL FROM company.company_slot "
            "WHERE company_id = 1 AND role_code = 'CEO'",
        ) == (True, True)

        # Check what needs scraping (second run of the queue views).
        urls_after = {(r[0], r[1]) for r in run.rows("FROM company.next_company_urls_30d;", 1)}
        assert urls_after == {(ids["incomplete"], "website"), (1, "website")}
        emails_after = {r[0] for r in run.rows("FROM people.due_email_recheck_30d;", 1)}
        john = one(cursor, "SELECT contact_id FROM people.contact WHERE full_name='John Smith'")[0]
        assert emails_after == {ids["pat"], john}

        # Find campaign-ready companies.
        found = run.rows("JOIN company.company c ON c.company_id = nr.company_id")
        assert [r[0] for r in found] == ["Ready Co"]

        # Data quality.
        assert run.rows("HAVING COUNT(cs.role_code) < 3") == [("Incomplete Co", 1)]
        assert run.rows("WHERE p.email IS NOT NULL AND v.contact_id IS NULL") == [
            (ids["pat"], "Pat Profile", "pat@elsewhere.example.com")
        ]
        # Queue sizes: three rows, one per queue.
        assert sorted(run.rows("'company_urls' as queue")) == [
            ("company_urls", 2),
            ("email_recheck", 2),
            ("profile_urls", 1),
        ]


def _seed_002_setup(cursor) -> None:
    """Owner-side rows (the owner is superuser, so RLS does not stop it) for the common queries."""
    cursor.execute(
        "INSERT INTO intake.raw_loads (batch_id, source, raw_data) VALUES "
        "('batch-seed', 'apollo', '{\"email\": \"pending@example.org\"}')"
    )
    cursor.execute(
        "INSERT INTO vault.contacts (email, name, company, source, score) VALUES "
        "('lead@example.org', 'Lena Lead', 'Lead Co', 'apollo', 92.5), "
        "('cold@example.org', 'Carl Cold', 'Cold Co', 'apollo', 10)"
    )
    cursor.execute(
        "INSERT INTO marketing.campaign (name, status, sent_count, response_count) VALUES "
        "('Spring push', 'active', 200, 30), ('Draft idea', 'draft', 0, 0), "
        "('Fresh start', 'active', 0, 0)"
    )
    # f_promote_contacts is documented with "ARRAY[123, 456, 789]": the row ingested next gets 123.
    cursor.execute("ALTER TABLE intake.raw_loads ALTER COLUMN load_id RESTART WITH 123")


def _is_function_block(body: str) -> bool:
    return "f_ingest_json(" in body or "f_promote_contacts(" in body


def _is_doc_only(body: str) -> bool:
    # The admin bypass note (SET ROLE postgres … RESET ROLE): see the module docstring.
    return bool(re.search(r"^\s*SET ROLE postgres", body, re.M | re.I))


def _assert_common_queries(run: SeedRun) -> None:
    pending = run.rows("WHERE status = 'pending'")
    assert ("batch-seed", "pending@example.org") in [(r[1], r[2]) for r in pending]
    recent = {r[1] for r in run.rows("FROM vault.contacts c")}
    assert {"lead@example.org", "cold@example.org"} <= recent
    leads = run.rows("WHERE score >= 80")
    assert [(r[0], r[1], r[2], r[4]) for r in leads] == [
        ("lead@example.org", "Lena Lead", "Lead Co", "active")
    ]
    perf = run.rows("FROM marketing.campaigns c")
    # NULL (no messages sent) sorts first under DESC: seed query as written.
    assert [(r[0], r[3]) for r in perf] == [
        ("Fresh start", None),
        ("Spring push", Decimal("15.00")),
    ]


def test_seed_002_common_queries_run_verbatim_as_the_app_role():
    """Seed 002's common queries and query-optimisation examples run unchanged as outreach_app."""
    with connection.cursor() as cursor:
        _seed_002_setup(cursor)
        cursor.execute("SET LOCAL ROLE outreach_app")
        run = SeedRun(cursor, lambda name, stmt: pytest.fail(f"unexpected placeholder ${name}"))
        for _heading, body in sql_blocks(SEED_002):
            if _is_function_block(body) or _is_doc_only(body):
                continue
            for stmt in statements(body):
                run.run(stmt)
        _assert_common_queries(run)
        assert run.rows("EXPLAIN ANALYZE SELECT * FROM vault.contacts")  # a plan came back


def test_seed_002_function_calls_and_queries_run_verbatim_as_the_app_role():
    """All of seed 002's SQL, function calls included, runs unchanged as outreach_app, in order."""
    with connection.cursor() as cursor:
        for signature in (
            "intake.f_ingest_json(jsonb[], text, text)",
            "vault.f_promote_contacts(bigint[])",
        ):
            assert one(cursor, "SELECT to_regprocedure(%s)", [signature])[0], (
                f"{signature} is not installed"
            )
        _seed_002_setup(cursor)
        cursor.execute("SET LOCAL ROLE outreach_app")
        run = SeedRun(cursor, lambda name, stmt: pytest.fail(f"unexpected placeholder ${name}"))
        for _heading, body in sql_blocks(SEED_002):
            if _is_doc_only(body):
                continue
            for stmt in statements(body):
                run.run(stmt)

        ingested = run.rows("FROM intake.f_ingest_json(")
        assert 123 in [r[0] for r in ingested], ingested
        promoted = run.rows("FROM vault.f_promote_contacts(")
        assert promoted[0][0] == 1, promoted  # promoted_count: john@example.com
        assert one(
            cursor,
            "SELECT name, source, load_id FROM vault.contacts WHERE email = 'john@example.com'",
        ) == ("John Doe", "apollo", 123)
        _assert_common_queries(run)
        recent = {r[1] for r in run.rows("FROM vault.contacts c")}
        assert "john@example.com" in recent


def test_repository_copy_of_the_seeds_matches_shared():
    """docs/seeds holds byte-identical copies of the customer's documents (when both exist)."""
    for name in ("000_b866a0011d793ea3.txt", "002_d933afefae62b649.txt"):
        copy = (_REPO_SEEDS / name).read_bytes()
        if _SHARED_SEEDS.is_dir():
            assert copy == (_SHARED_SEEDS / name).read_bytes(), name
        assert b"```sql" in copy, name
