"""Page timings (B1, B2, B5, B7, B8): per-page medians, query counts and render floors."""

from __future__ import annotations

import statistics
import time

from django.db import connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from bench.ops.common import ms, pct, plain_templates

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
    "public.set_actor(",
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
