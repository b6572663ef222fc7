"""Campaign build through the service vs a bare insert (B14)."""

from __future__ import annotations

import statistics
import time

from bench.ops.common import _cur, _Rollback, ms, rolled_back

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
