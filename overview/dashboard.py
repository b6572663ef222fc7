"""Read paths of the home dashboard (WORKFLOWS.md §6): one aggregate query per concern.

Every number is computed in SQL (``count(*) FILTER (...)``, scalar subqueries, GROUP BY) so the
page costs five queries whatever the size of the database, and every number comes with the URL
of the list page (with that page's own filter parameters) that shows the rows behind it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, reverse

from companies.selectors import coverage
from intake.selectors import QUEUE_COUNT_CAP, QUEUES, queue_size_sql
from marketing.selectors.funnel import STATUS_COUNTS_JSON_SQL, member_stages
from outreach_admin.business_days import sla_days
from outreach_admin.fields import ROLES


def list_url(url_name: str, **params) -> str:
    """The list page ``url_name`` with ``params`` as its query string ('' if it does not exist)."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    params = {k: v for k, v in params.items() if v is not None}
    return f"{url}?{urlencode(params)}" if params else url


def _fetch_one(sql: str, params=None) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        columns = [c.name for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _fetch_all(sql: str, params=None) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


FUNNEL_SQL = f"""
SELECT
    (SELECT coalesce(sum(loads_total), 0)::bigint FROM intake.batch_summary) AS raw_loads,
    (SELECT coalesce(sum(loads_promoted), 0)::bigint FROM intake.batch_summary) AS promoted,
    (SELECT count(*) FROM people.contact) AS people,
    (SELECT count(DISTINCT contact_id) FROM company.company_slot
      WHERE contact_id IS NOT NULL) AS slotted,
    (SELECT count(*) FROM people.contact_verification WHERE email_status = 'green') AS green,
    {STATUS_COUNTS_JSON_SQL} AS member_statuses,
    (SELECT count(*) FROM marketing.ac_handoff) AS handed_off
"""


def funnel() -> list[dict]:
    """The pipeline from raw loads to handoffs, in pipeline order: [{key, label, count, url}].

    One query. Loads (raw and promoted) are sums of the trigger-kept ``intake.batch_summary``;
    people stages (all, holding a slot, with a green email) count what their linked list shows;
    the campaign stages (members, contacted, opened, replied, booked: ``MEMBER_FUNNEL``, each
    the members that reached it) sum the trigger-kept ``marketing.member_status_count``
    (issue 18); handoffs close it.
    """
    row = _fetch_one(FUNNEL_SQL)
    stages = [
        ("raw_loads", "Raw loads", row["raw_loads"], list_url("intake:batch_list")),
        ("promoted", "Promoted", row["promoted"], list_url("intake:batch_list", status="promoted")),
        ("people", "People", row["people"], list_url("people:contact_list")),
        (
            "slotted",
            "In a slot",
            row["slotted"],
            list_url("people:contact_list", has_slot="true"),
        ),
        (
            "green",
            "Green email",
            row["green"],
            list_url("people:contact_list", email_status="green"),
        ),
    ]
    for s in member_stages(row["member_statuses"]):
        name = "marketing:booking_list" if s["key"] == "booked" else "marketing:campaign_list"
        url = list_url(name)
        stages.append((s["key"], s["label"], s["count"], url))
    stages.append(
        ("handed_off", "Handed off", row["handed_off"], list_url("marketing:handoff_list"))
    )
    return [
        {"key": key, "label": label, "count": count, "url": url}
        for key, label, count, url in stages
    ]


def slot_coverage() -> list[dict]:
    """Filled/total slots of active companies per role, with the role's open-slot queue URL.

    Read from the trigger-kept summary ``company.slot_coverage`` through
    :func:`companies.selectors.coverage` (one query of at most 64 rows, issue 18), the same
    figures as the open-slot queue's coverage panel.
    """
    found = {r["role_code"]: r for r in coverage()["roles"]}
    rows = []
    for role in ROLES:
        r = found.get(role, {"total": 0, "filled": 0})
        rows.append(
            {
                "role": role,
                "total": r["total"],
                "filled": r["filled"],
                "open": r["total"] - r["filled"],
                "pct": round(100 * r["filled"] / r["total"]) if r["total"] else 0,
                "url": list_url("companies:slot_queue", role_code=role),
            }
        )
    return rows


# The renewals page filters on the renewal month and on "window opens within N days"; with
# N = 365 every company of that month is listed (in-window ones have N <= 0), so the link of a
# month shows exactly the companies counted here. The twelve months are generated in SQL from
# the database's current_date (the same date the view computes renewals from): the first is this
# month on its 1st (that renewal is today), else next month. Counts read the trigger-kept
# company.renewal_count (companies 0092, issue 18: companies per renewal month, notice window and
# stored dates, a few dozen rows) instead of every company; a group whose stored renewal is past
# (the daily roll-forward has not reached it) is dated here as the renewals page dates it. Ready
# counts read the trigger-kept readiness (marketing 0021, issue 18) through its partial index.
RENEWALS_SQL = """
WITH dated AS (
    SELECT k.companies,
           CASE WHEN k.next_renewal_date >= current_date THEN k.next_renewal_date
                ELSE company.next_renewal_date(k.renewal_month, current_date) END AS renewal,
           CASE WHEN k.next_renewal_date >= current_date THEN k.campaign_window_start
                ELSE company.next_renewal_date(k.renewal_month, current_date)
                     - k.window_days END AS window_start
    FROM company.renewal_count k
),
ready AS (
    SELECT r.next_renewal_date AS renewal, count(*) AS ready
    FROM marketing.vw_renewal_readiness_kept r
    WHERE r.in_window AND r.ready
    GROUP BY r.next_renewal_date
)
SELECT m.month::date AS month,
       coalesce(sum(d.companies), 0)::bigint AS renewals,
       coalesce(max(rd.ready), 0) AS ready,
       coalesce(sum(d.companies) FILTER (WHERE d.window_start <= current_date), 0)::bigint
           AS in_window,
       min(d.window_start) AS first_window
FROM generate_series(date_trunc('month', current_date - 1) + interval '1 month',
                     date_trunc('month', current_date - 1) + interval '12 months',
                     interval '1 month') AS m(month)
LEFT JOIN dated d
       ON d.renewal = m.month::date AND d.window_start - current_date <= 365
LEFT JOIN ready rd ON rd.renewal = m.month::date
GROUP BY m.month
ORDER BY m.month
"""


def renewals_by_month() -> list[dict]:
    """The next twelve renewal months (empty ones included): renewals, ready now, in window.

    A company's next renewal is always within twelve months, so the twelve buckets cover every
    company with a renewal month. One query.
    """
    return [
        {
            **row,
            "label": row["month"].strftime("%b %Y"),
            "url": list_url(
                "marketing:renewal_list", renewal_month=row["month"].month, opens_within=365
            ),
            "ready_url": list_url(
                "marketing:renewal_list",
                renewal_month=row["month"].month,
                opens_within=365,
                ready="yes",
            ),
        }
        for row in _fetch_all(RENEWALS_SQL)
    ]


WORK_SQL = """
SELECT
    {queues},
    (SELECT count(*) FROM people.resolution_queue
      WHERE resolution_status = 'pending') AS duplicates_pending,
    h.pending, h.overdue, h.mine_open,
    (SELECT count(*) FROM marketing.campaign WHERE lower(created_by) = lower(%(username)s))
        AS my_campaigns,
    (SELECT count(*) FROM marketing.campaign
      WHERE lower(created_by) = lower(%(username)s) AND status IN ('draft', 'active', 'paused'))
        AS my_open_campaigns
FROM (
    SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'pending'
                            AND marketing.add_business_days(created_at, %(sla)s, %(tz)s) < now())
               AS overdue,
           count(*) FILTER (WHERE status IN ('pending', 'accepted')
                            AND assigned_to_id = %(user_id)s)
               AS mine_open
    FROM marketing.ac_handoff
) h
"""


def work(user) -> dict:
    """Queue sizes, pending duplicates, pending/overdue handoffs and the user's own work.

    "Assigned to me" counts the user's open handoffs (pending or accepted), the same rule as
    the handoff list's "Assigned to me" card (``handoff_metrics``).

    One query. Queue sizes are counted only up to ``QUEUE_COUNT_CAP + 1`` rows, like the queues
    page (a full count walks every active company and person: hundreds of ms at size S); a
    bigger queue reads "1,000+". Overdue uses ``marketing.add_business_days`` with the
    configured SLA, the same rule as the handoff list's "overdue" filter; "my campaigns" are
    those ``created_by`` the user's username (case-insensitive, like the campaign list's owner
    filter).
    """
    queues = ",\n    ".join(f"{queue_size_sql(key, QUEUE_COUNT_CAP)} AS q_{key}" for key in QUEUES)
    row = _fetch_one(
        WORK_SQL.replace("{queues}", queues),
        {
            "username": user.get_username(),
            "user_id": user.pk,
            "sla": sla_days(),
            "tz": settings.TIME_ZONE,
        },
    )
    username = user.get_username()
    return {
        "queues": [
            {
                "key": key,
                "label": label,
                "count": row[f"q_{key}"],
                "capped": row[f"q_{key}"] > QUEUE_COUNT_CAP,
                "url": list_url("intake:queue_list", queue=key),
            }
            for key, (label, _view) in QUEUES.items()
        ],
        "duplicates": {
            "count": row["duplicates_pending"],
            "url": list_url("people:resolution_list", status="pending"),
        },
        "handoffs_pending": {
            "count": row["pending"],
            "url": list_url("marketing:handoff_list", status="pending"),
        },
        "handoffs_overdue": {
            "count": row["overdue"],
            "url": list_url("marketing:handoff_list", overdue="yes"),
        },
        "my_handoffs": {
            "count": row["mine_open"],
            "url": list_url("marketing:handoff_list", assignee="me", open="yes"),
        },
        "my_campaigns": {
            "count": row["my_campaigns"],
            "open": row["my_open_campaigns"],
            "url": list_url("marketing:campaign_list", created_by=username),
        },
    }


def dashboard(user) -> dict:
    """Everything the home page shows (four queries) plus the JSON the charts are drawn from."""
    stages = funnel()
    coverage = slot_coverage()
    months = renewals_by_month()
    mine = work(user)
    chart_data = {
        "funnel": {
            "labels": [s["label"] for s in stages],
            "values": [s["count"] for s in stages],
            "urls": [s["url"] for s in stages],
        },
        "coverage": {
            "labels": [c["role"] for c in coverage],
            "filled": [c["filled"] for c in coverage],
            "open": [c["open"] for c in coverage],
            "urls": [c["url"] for c in coverage],
        },
        "renewals": {
            "labels": [m["label"] for m in months],
            "renewals": [m["renewals"] for m in months],
            "ready": [m["ready"] for m in months],
            "urls": [m["url"] for m in months],
            "ready_urls": [m["ready_url"] for m in months],
        },
        "queues": {
            "labels": [q["label"] for q in mine["queues"]],
            "values": [q["count"] for q in mine["queues"]],
            "urls": [q["url"] for q in mine["queues"]],
        },
    }
    return {
        "funnel": stages,
        "coverage": coverage,
        "renewals": months,
        "renewals_total": sum(m["renewals"] for m in months),
        "ready_total": sum(m["ready"] for m in months),
        "ready_url": list_url("marketing:renewal_list", ready="yes"),
        **mine,
        "chart_data": chart_data,
    }
