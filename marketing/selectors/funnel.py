"""The campaign funnel (issue 18): member counts per pipeline stage, from the trigger-kept summary.

``marketing.member_status_count`` (marketing 0020) holds members per campaign and status, kept
by statement triggers on ``marketing.campaign_contact``; the dashboard sums its few rows instead
of counting every member.
"""

from __future__ import annotations

import json

from django.db import connection

from marketing.models import CampaignContact

S = CampaignContact.Status

# The member pipeline in order: each stage counts the members that reached it, so a stage's
# statuses are a subset of the previous stage's (bounced and unsubscribed members were contacted
# and stopped there). Handoffs, one per booked meeting accepted or not, close the funnel.
MEMBER_FUNNEL: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("members", "Campaign members", frozenset(S.values)),
    ("contacted", "Contacted", frozenset(S.values) - {S.PENDING}),
    ("opened", "Opened", frozenset({S.OPENED, S.REPLIED, S.BOOKED})),
    ("replied", "Replied", frozenset({S.REPLIED, S.BOOKED})),
    ("booked", "Booked", frozenset({S.BOOKED})),
)

# Members per status over all campaigns as one JSON object: a scalar subquery, so the dashboard
# reads it inside its single funnel query.
STATUS_COUNTS_JSON_SQL = """
(SELECT coalesce(jsonb_object_agg(k.status, k.members), '{}'::jsonb)
   FROM (SELECT status, sum(members)::bigint AS members FROM marketing.member_status_count
         GROUP BY status) k)
"""


def member_status_counts() -> dict[str, int]:
    """Members per status over all campaigns (every status present, 0 when none), one query."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {STATUS_COUNTS_JSON_SQL}")
        found = _decoded(cursor.fetchone()[0])
    return {status: int(found.get(status, 0)) for status in S.values}


def _decoded(value) -> dict:
    # Django's raw cursor hands jsonb back as text.
    return json.loads(value) if isinstance(value, str | bytes) else value


def member_stages(by_status) -> list[dict]:
    """[{key, label, count}] of :data:`MEMBER_FUNNEL` in pipeline order, from counts per status
    (a dict, or the JSON text of :data:`STATUS_COUNTS_JSON_SQL`)."""
    by_status = _decoded(by_status)
    return [
        {"key": key, "label": label, "count": sum(int(by_status.get(s, 0)) for s in statuses)}
        for key, label, statuses in MEMBER_FUNNEL
    ]
