"""The outreach timeline: everything that touched a company and/or a person, newest first.

One SQL statement (``UNION ALL`` over the sources, each branch cut to ``limit`` rows on its
own index-backed order) so a page pays one query however long the history is. Shown on the
handoff page, the company page and the person page by the ``{% timeline %}`` tag
(``overview/templatetags/overview_tags.py``, rendering ``templates/includes/timeline.html``).

Sources and what each contributes:
  marketing.message_log        messages in and out (person in scope)
  marketing.campaign_contact   joined a campaign; its current status when it moved on
  bit.signal                   signals about the company or the person
  company.history              slot changes (filled, replaced, cleared), with who did it
  people.history               changes to the person's record (person timelines only)
  people.merge_log             merges (and undos) involving a person in scope
  marketing.ac_handoff         handoffs created; their review actions come from
  marketing.pipeline_events    (``handoff_*``, one row per action) — a reviewed handoff with no
                               such event (loaded from elsewhere) shows its reviewed_* columns
  marketing.booking_event      meetings booked

"In scope" means: for a company, the company itself and the people employed there; for a
person, that person; with both (the handoff page), the union.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from marketing.services.handoffs import REJECT_REASONS
from outreach_admin.dates import format_datetime, relative_time  # noqa: F401 (re-export)

KIND_STYLE = {
    "message_outbound": ("Sent", "text-bg-primary"),
    "message_inbound": ("Reply", "text-bg-success"),
    "campaign_added": ("Campaign", "text-bg-info"),
    "campaign_status": ("Campaign", "text-bg-info"),
    "signal": ("Signal", "text-bg-warning"),
    "slot": ("Slot", "text-bg-secondary"),
    "person": ("Profile", "text-bg-light border"),
    "merge": ("Merge", "text-bg-dark"),
    "merge_undone": ("Merge undone", "text-bg-dark"),
    "handoff_created": ("Handoff", "text-bg-warning"),
    "handoff_accepted": ("Accepted", "text-bg-success"),
    "handoff_rejected": ("Rejected", "text-bg-danger"),
    "handoff_closed": ("Closed", "text-bg-secondary"),
    "handoff_reassigned": ("Reassigned", "text-bg-light border"),
    "handoff_reviewed": ("Reviewed", "text-bg-secondary"),
    "booking": ("Booking", "text-bg-success"),
}


@dataclass(frozen=True)
class TimelineEvent:
    """One line of the timeline."""

    kind: str
    at: datetime
    actor: str | None
    summary: str
    detail: str | None
    person_id: int | None
    person_name: str | None
    handoff_id: int | None

    @property
    def local_at(self) -> datetime:
        return timezone.localtime(self.at)

    @property
    def at_iso(self) -> str:
        return self.local_at.isoformat()

    @property
    def at_title(self) -> str:
        return format_datetime(self.at)

    @property
    def ago(self) -> str:
        return relative_time(self.at)

    @property
    def label(self) -> str:
        return KIND_STYLE.get(self.kind, (self.kind, ""))[0]

    @property
    def badge_class(self) -> str:
        return KIND_STYLE.get(self.kind, ("", "text-bg-light border"))[1]


TIMELINE_SQL = """
WITH p AS (
    SELECT %(company_id)s::bigint AS company_id, %(contact_id)s::bigint AS contact_id,
           %(reasons)s::jsonb AS reasons
), people_in_scope AS (
    SELECT c.contact_id FROM people.contact c WHERE c.company_id = %(company_id)s::bigint
    UNION
    SELECT %(contact_id)s::bigint WHERE %(contact_id)s::bigint IS NOT NULL
), members AS (
    -- one index lookup per side (an OR across the two columns was a sequential scan)
    SELECT cc.campaign_contact_id FROM marketing.campaign_contact cc
    WHERE cc.contact_id IN (SELECT contact_id FROM people_in_scope)
    UNION
    SELECT cc.campaign_contact_id FROM marketing.campaign_contact cc
    WHERE cc.company_id = %(company_id)s::bigint
), merges AS (
    SELECT ml.merge_id FROM people.merge_log ml
    WHERE ml.survivor_id IN (SELECT contact_id FROM people_in_scope)
    UNION
    SELECT ml.merge_id FROM people.merge_log ml
    WHERE ml.absorbed_id IN (SELECT contact_id FROM people_in_scope)
), handoffs AS (
    SELECT h.* FROM marketing.ac_handoff h WHERE h.company_id = %(company_id)s::bigint
    UNION
    SELECT h.* FROM marketing.ac_handoff h WHERE h.contact_id = %(contact_id)s::bigint
)
SELECT * FROM (
(SELECT 'message_' || m.direction AS kind, m.sent_at AS at, NULL::text AS actor,
        CASE m.direction WHEN 'outbound' THEN 'Sent ' ELSE 'Received ' END
        || CASE m.channel WHEN 'linkedin' THEN 'LinkedIn' WHEN 'email' THEN 'email'
                          WHEN 'phone' THEN 'phone call' ELSE 'other' END
        || coalesce(' in campaign “' || ca.name || '”', '') AS summary,
        coalesce(m.subject, left(m.body, 140)) AS detail,
        m.contact_id AS person_id, c.full_name AS person_name, NULL::bigint AS handoff_id
 FROM marketing.message_log m
 JOIN people.contact c ON c.contact_id = m.contact_id
 LEFT JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
 WHERE m.contact_id IN (SELECT contact_id FROM people_in_scope)
 ORDER BY m.sent_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'campaign_added', cc.created_at, NULL,
        'Added to campaign “' || ca.name || '”' || coalesce(' as ' || cc.role_code, ''),
        NULL, cc.contact_id, c.full_name, NULL
 FROM members mb
 JOIN marketing.campaign_contact cc ON cc.campaign_contact_id = mb.campaign_contact_id
 JOIN marketing.campaign ca ON ca.campaign_id = cc.campaign_id
 JOIN people.contact c ON c.contact_id = cc.contact_id
 ORDER BY cc.created_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'campaign_status', cc.updated_at, NULL,
        'Campaign “' || ca.name || '”: member now ' || cc.status, NULL,
        cc.contact_id, c.full_name, NULL
 FROM members mb
 JOIN marketing.campaign_contact cc ON cc.campaign_contact_id = mb.campaign_contact_id
 JOIN marketing.campaign ca ON ca.campaign_id = cc.campaign_id
 JOIN people.contact c ON c.contact_id = cc.contact_id
 WHERE cc.status <> 'pending' AND cc.updated_at > cc.created_at
 ORDER BY cc.updated_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'signal', s.created_at, NULL,
        'Signal: ' || replace(s.reason, '_', ' ') || ' (strength ' || s.signal_strength || ')',
        NULL, s.contact_id, c.full_name, NULL
 FROM bit.signal s
 LEFT JOIN people.contact c ON c.contact_id = s.contact_id
 WHERE s.company_id = %(company_id)s::bigint OR s.contact_id = %(contact_id)s::bigint
 ORDER BY s.created_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'slot', h.changed_at, h.changed_by,
        coalesce(sl.role_code, 'A') || ' slot '
        || CASE WHEN h.new_values ->> 'contact_id' IS NULL THEN 'cleared'
                WHEN h.old_values ->> 'contact_id' IS NULL THEN 'filled with ' || nc.full_name
                ELSE 'changed to ' || nc.full_name END,
        CASE WHEN oc.full_name IS NOT NULL THEN 'was ' || oc.full_name END,
        nc.contact_id, nc.full_name, NULL
 FROM company.history h
 LEFT JOIN company.company_slot sl ON sl.company_slot_id = h.company_slot_id
 LEFT JOIN people.contact nc ON nc.contact_id = (h.new_values ->> 'contact_id')::bigint
 LEFT JOIN people.contact oc ON oc.contact_id = (h.old_values ->> 'contact_id')::bigint
 WHERE h.table_name = 'company_slot' AND h.action = 'update' AND h.changed_fields ? 'contact_id'
   AND (h.company_id = %(company_id)s::bigint
        OR (h.company_id = (SELECT c2.company_id FROM people.contact c2
                            WHERE c2.contact_id = %(contact_id)s::bigint)
            AND %(contact_id)s::bigint IN ((h.new_values ->> 'contact_id')::bigint,
                                           (h.old_values ->> 'contact_id')::bigint)))
 ORDER BY h.changed_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'person', h.changed_at, h.changed_by,
        CASE WHEN h.table_name = 'contact_verification'
                  THEN 'Email status ' || coalesce(h.new_values ->> 'email_status', 'updated')
             WHEN h.action = 'insert' THEN 'Person record created'
             ELSE 'Person record ' || h.action || 'd' END,
        CASE WHEN h.action = 'update' AND h.table_name <> 'contact_verification'
             THEN 'changed: ' || (SELECT string_agg(replace(k, '_', ' '), ', ')
                                  FROM jsonb_array_elements_text(h.changed_fields) k) END,
        h.contact_id, c.full_name, NULL
 FROM people.history h
 JOIN people.contact c ON c.contact_id = h.contact_id
 WHERE h.contact_id = %(contact_id)s::bigint
 ORDER BY h.changed_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT e.kind, e.at, e.actor,
        e.verb || a.full_name || ' (#' || a.contact_id || ') into ' || s.full_name
        || ' (#' || s.contact_id || ')', NULL, s.contact_id, s.full_name, NULL
 FROM merges mg
 JOIN people.merge_log ml ON ml.merge_id = mg.merge_id
 JOIN people.contact a ON a.contact_id = ml.absorbed_id
 JOIN people.contact s ON s.contact_id = ml.survivor_id
 CROSS JOIN LATERAL (VALUES ('merge', ml.merged_at, ml.merged_by, 'Merged '),
                            ('merge_undone', ml.undone_at, ml.undone_by, 'Undid merge of '))
      e(kind, at, actor, verb)
 WHERE e.at IS NOT NULL
 ORDER BY e.at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'handoff_created', h.created_at, b.created_by,
        'Handoff #' || h.handoff_id || ' created for review', h.notes,
        h.contact_id, c.full_name, h.handoff_id
 FROM handoffs h
 LEFT JOIN marketing.booking_event b ON b.booking_event_id = h.booking_event_id
 LEFT JOIN people.contact c ON c.contact_id = h.contact_id
 ORDER BY h.created_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT pe.event_type, pe.created_at, pe.event_data ->> 'actor',
        'Handoff #' || h.handoff_id || ' '
        || CASE pe.event_type
             WHEN 'handoff_reassigned' THEN 'reassigned to ' || (pe.event_data ->> 'to_user')
             ELSE replace(pe.event_type, 'handoff_', '')
                  || coalesce(': ' || (p.reasons ->> (pe.event_data ->> 'reject_reason')), '')
           END,
        nullif(pe.event_data ->> 'note', ''), h.contact_id, c.full_name, h.handoff_id
 FROM marketing.pipeline_events pe
 JOIN handoffs h ON pe.entity_type = 'company' AND pe.entity_id = h.company_id::text
                AND (pe.event_data ->> 'handoff_id')::bigint = h.handoff_id
 CROSS JOIN p
 LEFT JOIN people.contact c ON c.contact_id = h.contact_id
 WHERE pe.event_type LIKE 'handoff\\_%%'
 ORDER BY pe.created_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'handoff_reviewed', h.reviewed_at, h.reviewed_by,
        'Handoff #' || h.handoff_id || ' ' || h.status
        || coalesce(': ' || (p.reasons ->> h.reject_reason), ''),
        h.review_notes, h.contact_id, c.full_name, h.handoff_id
 FROM handoffs h
 CROSS JOIN p
 LEFT JOIN people.contact c ON c.contact_id = h.contact_id
 WHERE h.reviewed_at IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM marketing.pipeline_events pe
                   WHERE pe.entity_type = 'company' AND pe.entity_id = h.company_id::text
                     AND pe.event_type LIKE 'handoff\\_%%'
                     AND (pe.event_data ->> 'handoff_id')::bigint = h.handoff_id)
 ORDER BY h.reviewed_at DESC LIMIT %(limit)s)
UNION ALL
(SELECT 'booking', b.created_at, b.created_by,
        'Meeting booked for ' || to_char(b.event_time AT TIME ZONE %(tz)s, 'FMDD Mon YYYY, HH24:MI')
        || coalesce(' via ' || b.source, '') || coalesce(' (campaign “' || ca.name || '”)', ''),
        NULL, b.contact_id, c.full_name, NULL
 FROM marketing.booking_event b
 JOIN people.contact c ON c.contact_id = b.contact_id
 LEFT JOIN marketing.campaign ca ON ca.campaign_id = b.campaign_id
 WHERE b.company_id = %(company_id)s::bigint OR b.contact_id = %(contact_id)s::bigint
 ORDER BY b.created_at DESC LIMIT %(limit)s)
) events
ORDER BY at DESC, kind
LIMIT %(limit)s
"""


def timeline_for(
    *, company_id: int | None = None, contact_id: int | None = None, limit: int = 100
) -> list[TimelineEvent]:
    """The newest ``limit`` events for a company, a person, or both, in one query."""
    if company_id is None and contact_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            TIMELINE_SQL,
            {
                "company_id": company_id,
                "contact_id": contact_id,
                "reasons": json.dumps(REJECT_REASONS),
                "limit": limit,
                "tz": settings.TIME_ZONE,
            },
        )
        return [TimelineEvent(*row) for row in cursor.fetchall()]
