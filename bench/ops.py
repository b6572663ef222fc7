"""The measured operations (B1–B14) and their same-run references.

Every throughput figure is a median over interleaved runs (operation, reference, operation,
…) and every write operation runs inside a transaction that is rolled back, so the dataset is
the same before and after a bench run (except the duplicate queue, which B12 fills once so the
duplicates page has rows).
"""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager

from django.db import connections, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back(using="owner"):
    """Run the block in a transaction that is always rolled back."""
    try:
        with transaction.atomic(using=using):
            yield
            raise _Rollback
    except _Rollback:
        pass


def _cur(using="owner"):
    return connections[using].cursor()


def _sql_time(sql, params=None, using="owner") -> float:
    with _cur(using) as cur:
        t = time.perf_counter()
        cur.execute(sql, params)
        if cur.description:
            cur.fetchall()
        return time.perf_counter() - t


@contextmanager
def plain_templates():
    """Template rendering without the test instrumentation (timed runs, like production).

    bench.run installs Django's test environment so one captured request per page carries its
    context (the table for R, the filter form for B4); its signal copies every template context,
    which production never pays, so every timed render switches it off.
    """
    from django.template import Template
    from django.test.utils import _TestState

    saved = getattr(_TestState, "saved_data", None)
    if saved is None:
        yield
        return
    instrumented, Template._render = Template._render, saved.template_render
    try:
        yield
    finally:
        Template._render = instrumented


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def ms(x):
    return None if x is None else round(x * 1000, 2)


# --- pages (B1, B2, B5, B7, B8) ---------------------------------------------------------------


def page_specs(scale: float, ids: dict) -> list[dict]:
    """The pages measured: list pages with two filters and a sort, deep pages, detail pages."""
    deep_row = max(100, int(250_000 * scale))
    return [
        {
            "b": "B1",
            "name": "companies",
            "url": "/companies/?status=active&industry=Software&sort=company_name",
        },
        {
            "b": "B1",
            "name": "people",
            "url": "/people/?status=active&email_status=green&sort=full_name",
        },
        {
            "b": "B5",
            "name": "open slots",
            "url": "/companies/slots/?role_code=CFO&state=TX&sort=window_start",
        },
        {
            "b": "B1",
            "name": "duplicates",
            "url": "/people/duplicates/?status=pending&conflict_type=name_company",
        },
        {
            "b": "B1",
            "name": "renewals",
            "url": "/marketing/renewals/?industry=Software&state=TX&sort=next_renewal_date",
        },
        {
            "b": "B1",
            "name": "campaigns",
            "url": "/marketing/campaigns/?status=active&type=nurture&sort=name",
        },
        {
            "b": "B1",
            "name": "campaign members",
            "url": f"/marketing/campaigns/{ids['campaign']}/?status=sent&role_code=CEO&sort=person",
        },
        {
            "b": "B1",
            "name": "handoffs (empty: not seeded)",
            "url": "/marketing/handoffs/?status=open&overdue=yes",
        },
        {"b": "B1", "name": "batches", "url": "/intake/?source=apollo&status=pending"},
        {"b": "B1", "name": "queues", "url": "/intake/queues/"},
        {
            "b": "B2",
            "name": f"people at row {deep_row:,} (keyset cursor)",
            "url": "/people/?status=active&sort=full_name&cursor="
            + _deep_cursor("people", deep_row),
            "base": "people",
        },
        {
            "b": "B2",
            "name": f"companies at row {deep_row // 5:,} (keyset cursor)",
            "url": "/companies/?status=active&sort=company_name&cursor="
            + _deep_cursor("companies", deep_row // 5),
            "base": "companies",
        },
        {"b": "B7", "name": "company page", "url": f"/companies/{ids['company']}/"},
        {"b": "B7", "name": "person page", "url": f"/people/{ids['person']}/"},
        {"b": "B8", "name": "dashboard", "url": "/"},
    ]


def _deep_cursor(page: str, row: int) -> str:
    """The "Next" cursor a user reaches after paging to ``row`` (what the pager link carries)."""
    from urllib.parse import quote

    from companies.models import Company
    from outreach_admin.pagination import _order_keys, make_cursor
    from people.models import Contact

    qs, sort = {
        "people": (Contact.objects.filter(status="active"), "full_name"),
        "companies": (Company.objects.filter(status="active"), "company_name"),
    }[page]
    qs = qs.order_by(sort)
    keys = _order_keys(qs)
    values = list(qs.order_by(sort, "pk").values_list(sort, "pk")[row - 1])
    return quote(make_cursor("next", keys, values, row))


def _filter_form_cost(response, rounds=5):
    """B4: time to render the page's filter form alone (median), and the largest <select>."""
    import re

    from django.template.loader import render_to_string

    html = response.content.decode("utf-8", "replace")
    selects = re.findall(r"<select\b.*?</select>", html, flags=re.S)
    biggest = max((s.count("<option") for s in selects), default=0)
    ctx = response.context
    fs = ctx.get("filter") if ctx is not None else None
    if fs is None:
        return {"form_ms": None, "max_select_options": biggest}
    times = []
    with plain_templates():
        for _ in range(rounds):
            t = time.perf_counter()
            render_to_string(
                "includes/filter_form.html", {"filter": fs, "request": response.wsgi_request}
            )
            times.append(time.perf_counter() - t)
    return {"form_ms": ms(statistics.median(times)), "max_select_options": biggest}


def _render_floor(response, user, url):
    """R: render the same rows from memory with the same table class (no database)."""
    ctx = response.context
    table = ctx.get("table") if ctx is not None else None
    if table is None or not hasattr(table, "page"):
        return None
    records = [row.record for row in table.page.object_list]
    request = RequestFactory().get(url)
    request.user = user
    try:
        fresh = type(table)(records)
        fresh.paginate(per_page=max(1, len(records)))
        with CaptureQueriesContext(connections["default"]) as q, plain_templates():
            fresh.as_html(request)  # warm: the first render compiles the template
            t = time.perf_counter()
            fresh.as_html(request)
            elapsed = time.perf_counter() - t
        return {"seconds": elapsed, "queries": len(q.captured_queries)}
    except Exception as exc:  # the floor is informative; a table needing extra args is skipped
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


def measure_pages(user, specs, rounds=30, warmup=3) -> list[dict]:
    """p50/p95 per page over interleaved rounds through the full Django stack."""
    client = Client()
    client.force_login(user)
    results = {s["name"]: {**s, "times": []} for s in specs}
    for s in specs:  # warm-up + one captured request per page (queries, size, status, floor)
        for _ in range(warmup):
            client.get(s["url"], secure=True)
        with CaptureQueriesContext(connections["default"]) as q:
            resp = client.get(s["url"], secure=True)
        r = results[s["name"]]
        r["status"] = resp.status_code
        r["queries"] = len(q.captured_queries)
        r["app_queries"] = len([x for x in q.captured_queries if not _overhead(x["sql"])])
        r["html_kib"] = round(len(resp.content) / 1024, 1)
        r["rows"] = _row_count(resp)
        r["floor"] = _render_floor(resp, user, s["url"]) if resp.status_code == 200 else None
        if resp.status_code == 200 and s["b"] in ("B1", "B5"):
            r["b4"] = _filter_form_cost(resp)
        r["slowest_sql"] = sorted(
            ({"ms": float(x["time"]) * 1000, "sql": x["sql"][:300]} for x in q.captured_queries),
            key=lambda x: -x["ms"],
        )[:2]
    with plain_templates():
        for _ in range(rounds):
            for s in specs:
                t = time.perf_counter()
                client.get(s["url"], secure=True)
                results[s["name"]]["times"].append(time.perf_counter() - t)
    out = []
    for r in results.values():
        times = r.pop("times")
        r["p50_ms"] = ms(statistics.median(times))
        r["p95_ms"] = ms(pct(times, 95))
        b4 = r.get("b4") or {}
        if b4.get("form_ms") is not None and r["p50_ms"] > b4["form_ms"]:
            # page with the form / the same page without it (p50 minus the form's render time)
            b4["ratio"] = round(r["p50_ms"] / (r["p50_ms"] - b4["form_ms"]), 3)
        out.append(r)
    return out


OVERHEAD = (
    "django_session",
    "auth_user",
    "auth_group",
    "set_config(",
    "SET LOCAL ROLE",
    "COMMIT",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK",
)


def _overhead(sql: str) -> bool:
    """Per-request framework statements (session, user, role/actor, transaction control)."""
    return any(mark in sql[:400] for mark in OVERHEAD)


def _row_count(resp):
    ctx = resp.context
    table = ctx.get("table") if ctx is not None else None
    try:
        return len(table.page.object_list)
    except Exception:
        return None


# --- B3: counts -------------------------------------------------------------------------------


def measure_counts() -> list[dict]:
    """Exact count(*) vs the planner's estimate (pg_class.reltuples) for the big tables."""
    out = []
    for table in (
        "people.contact",
        "company.company",
        "company.company_slot",
        "intake.raw_loads",
        "marketing.message_log",
    ):
        exact = [_sql_time(f"SELECT count(*) FROM {table}") for _ in range(3)]
        est = [
            _sql_time("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
            for _ in range(5)
        ]
        out.append(
            {
                "table": table,
                "exact_ms": ms(statistics.median(exact)),
                "estimate_ms": ms(statistics.median(est)),
            }
        )
    return out


# --- B6: renewal-ready SQL vs naive -----------------------------------------------------------


def measure_renewals(runs=5) -> dict:
    """The renewals page's default first-page SQL vs a naive per-row date computation.

    "real" is built the way the page builds it: the view's selector and filter set with no
    parameters (ready companies, earliest window first), then KeysetPaginator's first page (its
    sort-key annotations, LIMIT 51, no count); tests/marketing/test_renewal_list.py checks that
    the page runs exactly this SQL.
    """
    from marketing.filters.campaigns import RenewalReadinessFilterSet
    from marketing.selectors import campaigns as selectors
    from outreach_admin import pagination

    qs = RenewalReadinessFilterSet({}, queryset=selectors.renewal_list()).qs
    keys = pagination._order_keys(qs)
    qs = qs.annotate(**{pagination._KEY.format(i): k.expr for i, k in enumerate(keys)})
    qs = qs.order_by(*pagination._ordering(keys))[:51]
    sql, params = qs.query.sql_with_params()
    naive = """
        SELECT c.company_id, c.company_name, nd.d
        FROM company.company c,
        LATERAL (SELECT make_date(extract(year FROM current_date)::int
                     + CASE WHEN make_date(extract(year FROM current_date)::int,
                                           c.renewal_month, 1) < current_date THEN 1 ELSE 0 END,
                     c.renewal_month, 1) AS d) nd
        WHERE c.renewal_month IS NOT NULL AND c.status = 'active'
          AND nd.d - c.renewal_notice_window_days <= current_date
          AND EXISTS (SELECT 1 FROM company.company_slot s
                      JOIN people.contact_verification v ON v.contact_id = s.contact_id
                      WHERE s.company_id = c.company_id AND v.email_status = 'green')
        ORDER BY nd.d - c.renewal_notice_window_days, c.company_name, c.company_id
        LIMIT 50
    """
    real, ref = [], []
    for _ in range(runs):
        real.append(_sql_time(sql, params, using="default"))
        ref.append(_sql_time(naive))
    return {"real_ms": ms(statistics.median(real)), "naive_ms": ms(statistics.median(ref))}


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


# --- B11: promote vs COPY into an empty vault clone -------------------------------------------


def measure_promote(n, runs=5) -> dict:
    """vault.f_promote_contacts over n pending seeded loads vs COPY into an empty clone."""
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
    fn, ref, rerun, result = [], [], [], None
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
    f, c = statistics.median(fn), statistics.median(ref)
    return {
        "loads": len(ids),
        "loads_matching_existing_people": existing,
        "promote_s": round(f, 3),
        "copy_s": round(c, 3),
        "ratio_vs_copy": round(c / f, 3),
        "result": [list(map(str, r)) for r in (result or [])],
        "rerun_changed_rows": rerun,
    }


# --- B12: duplicate detector ------------------------------------------------------------------


def measure_detector(probe=2000) -> dict:
    """detect_duplicates over everyone vs an unblocked trigram self-join extrapolated.

    The reference joins ``probe`` people to everyone by trigram similarity (``%``, the GIN
    index on lower(full_name), no blocking key) and scales the time to all people.
    """
    with _cur() as cur:
        cur.execute("SELECT count(*) FROM people.contact WHERE status <> 'merged'")
        n = cur.fetchone()[0]
    with _cur() as cur:
        cur.execute("SELECT count(*) FROM people.resolution_queue")
        empty = cur.fetchone()[0] == 0
    # An empty queue is filled for real (the duplicates page needs rows), else rolled back.
    with transaction.atomic(using="owner") if empty else rolled_back(), _cur() as cur:
        t = time.perf_counter()
        cur.execute("SELECT people.detect_duplicates()")
        counts = cur.fetchone()[0]
        rolled = time.perf_counter() - t
    ref_sql = f"""
        SELECT count(*) FROM
          (SELECT contact_id, lower(full_name) AS n FROM people.contact
           ORDER BY hashtext(contact_id::text) LIMIT {probe}) p
        JOIN people.contact q ON q.contact_id <> p.contact_id AND lower(q.full_name) % p.n
    """
    with rolled_back(), _cur() as cur:
        cur.execute("SET LOCAL statement_timeout = '300s'")
        t = time.perf_counter()
        cur.execute(ref_sql)
        cur.fetchall()
        sample = time.perf_counter() - t
    extrapolated = sample * n / probe
    with _cur() as cur:
        cur.execute("""
            SELECT count(*) FILTER (WHERE q.resolution_id IS NOT NULL), count(*)
            FROM bench.injected_duplicate d
            LEFT JOIN people.resolution_queue q
              ON least(q.contact_primary_id, q.contact_duplicate_id)
                     = least(d.duplicate_id, d.original_id)
             AND greatest(q.contact_primary_id, q.contact_duplicate_id)
                     = greatest(d.duplicate_id, d.original_id)""")
        found, injected = cur.fetchone()
        cur.execute("""
            SELECT count(*) FILTER (WHERE d.duplicate_id IS NOT NULL), count(*)
            FROM people.resolution_queue q
            LEFT JOIN bench.injected_duplicate d
              ON least(q.contact_primary_id, q.contact_duplicate_id)
                     = least(d.duplicate_id, d.original_id)
             AND greatest(q.contact_primary_id, q.contact_duplicate_id)
                     = greatest(d.duplicate_id, d.original_id)""")
        true_pairs, queued = cur.fetchone()
    return {
        "people": n,
        "detector_s": round(rolled, 3),
        "probe": probe,
        "probe_join_s": round(sample, 3),
        "extrapolated_self_join_s": round(extrapolated, 1),
        "speedup": round(extrapolated / rolled, 1),
        "counts": counts,
        "recall_injected": round(found / injected, 3) if injected else None,
        "precision_vs_injected": round(true_pairs / queued, 3) if queued else None,
        "queued_pairs": queued,
        "injected_pairs": injected,
    }


# --- B13: similar people ----------------------------------------------------------------------


def measure_similar(n=40) -> dict:
    """people.selectors.similar_people for n different people: p50/p95."""
    from people import selectors
    from people.models import Contact

    people = list(Contact.objects.order_by("?")[:n])
    for p in people[:3]:
        selectors.similar_people(p)
    times = []
    for p in people:
        t = time.perf_counter()
        selectors.similar_people(p)
        times.append(time.perf_counter() - t)
    return {
        "samples": len(times),
        "p50_ms": ms(statistics.median(times)),
        "p95_ms": ms(pct(times, 95)),
    }


# --- B14: campaign build ----------------------------------------------------------------------


def measure_campaign_build(runs=5) -> dict:
    """marketing.services.campaigns.campaign_create over 1,000 in-window companies vs a bare
    INSERT…SELECT of the same (contact, company, role) rows."""
    from marketing.services import campaigns as services
    from outreach_admin.db import acting_as

    # Companies whose pre-flight includes someone (most green people of the seed are already
    # members of an open campaign, which the pre-flight rightly excludes).
    with _cur() as cur:
        cur.execute(
            "SELECT DISTINCT f.company_id FROM marketing.campaign_preflight("
            " (SELECT array_agg(company_id) FROM company.vw_next_renewal"
            "  WHERE in_window AND status = 'active'), ARRAY['CEO','CFO','HR']) f"
            " WHERE f.included ORDER BY 1 LIMIT %s",
            [services.MAX_COMPANIES],
        )
        company_ids = [r[0] for r in cur.fetchall()]
    svc, ref, members = [], [], 0
    for run in range(runs):
        try:
            with acting_as("bench"):
                t = time.perf_counter()
                campaign = services.campaign_create(
                    name=f"Bench build {run}",
                    type="renewal",
                    target_roles=["CEO", "CFO", "HR"],
                    company_ids=company_ids,
                    actor="bench",
                )
                svc.append(time.perf_counter() - t)
                members = campaign.target_count
                with _cur("default") as cur:
                    cur.execute(
                        "SELECT contact_id, company_id, role_code FROM "
                        "marketing.campaign_contact WHERE campaign_id = %s",
                        [campaign.pk],
                    )
                    rows = cur.fetchall()
                raise _Rollback
        except _Rollback:
            pass
        except services.CampaignError as exc:
            return {"error": str(exc)}
        with rolled_back(), _cur() as cur:
            cur.execute(
                "INSERT INTO marketing.campaign (name, created_by) VALUES ('ref', 'bench') "
                "RETURNING campaign_id"
            )
            cid = cur.fetchone()[0]
            t = time.perf_counter()
            cur.execute(
                "INSERT INTO marketing.campaign_contact (campaign_id, contact_id, "
                "company_id, role_code) SELECT %s, x.a, x.b, x.c FROM unnest("
                "%s::bigint[], %s::bigint[], %s::text[]) AS x(a, b, c)",
                [cid, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
            )
            ref.append(time.perf_counter() - t)
    s, r = statistics.median(svc), statistics.median(ref)
    return {
        "companies": len(company_ids),
        "members": members,
        "service_ms": ms(s),
        "bare_insert_ms": ms(r),
        "ratio_vs_bare": round(r / s, 3),
    }
