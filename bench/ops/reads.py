"""Read references: exact counts vs estimates (B3), the renewal-ready SQL vs naive (B6)."""

from __future__ import annotations

import statistics

from bench.ops.common import _sql_time, ms

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
