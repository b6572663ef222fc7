"""Read-side queries of handoffs: the list queryset with its SLA columns, the metrics strip,
the handoff page's row, the company's slots shown beside it and the bookings list."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Now
from django.shortcuts import get_object_or_404

from companies.models import CompanySlot
from marketing.models import AcHandoff, BookingEvent
from outreach_admin.business_days import AddBusinessDays, sla_days

STATUS_RANK = Case(
    When(status="pending", then=Value(0)),
    When(status="accepted", then=Value(1)),
    When(status="rejected", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def handoff_queryset():
    """Handoffs with everything the list and page show, the SLA due time computed in SQL.

    ``is_overdue`` uses ``marketing.add_business_days`` so filtering and sorting on it stay in
    the database. Default order: overdue pending first, then pending oldest first, then the
    rest most recently reviewed first.
    """
    return (
        AcHandoff.objects.select_related(
            "company", "contact", "assigned_to", "booking_event", "booking_event__campaign"
        )
        .annotate(
            due_at=AddBusinessDays(F("created_at")),
            status_rank=STATUS_RANK,
        )
        .annotate(
            is_overdue=Case(
                When(status="pending", due_at__lt=Now(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(
            "-is_overdue", "status_rank", F("reviewed_at").desc(nulls_last=True), "created_at"
        )
    )


HANDOFF_METRICS_SQL = """
WITH decisions AS (
    SELECT h.handoff_id, h.status, h.created_at, h.assigned_to_id,
           coalesce(ev.decision, CASE WHEN h.status IN ('accepted', 'rejected') THEN h.status END)
               AS decision,
           coalesce(ev.decided_at,
                    CASE WHEN h.status IN ('accepted', 'rejected') THEN h.reviewed_at END)
               AS decided_at
    FROM marketing.ac_handoff h
    LEFT JOIN LATERAL (
        SELECT replace(pe.event_type, 'handoff_', '') AS decision, pe.created_at AS decided_at
        FROM marketing.pipeline_events pe
        WHERE pe.entity_type = 'company' AND pe.entity_id = h.company_id::text
          AND pe.event_type IN ('handoff_accepted', 'handoff_rejected')
          AND (pe.event_data ->> 'handoff_id')::bigint = h.handoff_id
        ORDER BY pe.created_at LIMIT 1
    ) ev ON true
)
SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'pending'
                        AND marketing.add_business_days(created_at, %(sla)s, %(tz)s) < now())
           AS overdue,
       count(*) FILTER (WHERE decision IS NOT NULL) AS decided,
       round(100.0 * count(*) FILTER (WHERE decision = 'accepted')
             / nullif(count(*) FILTER (WHERE decision IS NOT NULL), 0)) AS acceptance_rate,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - created_at))
           FILTER (WHERE decided_at IS NOT NULL) AS median_decision_seconds,
       count(*) FILTER (WHERE status IN ('pending', 'accepted') AND assigned_to_id = %(user_id)s)
           AS mine
FROM decisions
"""


def booking_list():
    """Bookings with person, company and campaign, and the first handoff each one opened (its
    id and status as subqueries), newest event first."""
    first_handoff = AcHandoff.objects.filter(booking_event=OuterRef("pk")).order_by("handoff_id")
    return (
        BookingEvent.objects.select_related("contact", "company", "campaign")
        .annotate(
            handoff_id=Subquery(first_handoff.values("handoff_id")[:1]),
            handoff_status=Subquery(first_handoff.values("status")[:1]),
        )
        .order_by("-event_time")
    )


def handoff_metrics(*, user_id: int | None = None) -> dict:
    """Pending and overdue counts, acceptance rate, median time to decision and ``mine`` (open
    handoffs, pending or accepted, assigned to ``user_id``), in one query.

    The decision of a handoff is its first accept/reject event (so closing it later does not
    hide it); handoffs reviewed outside the app fall back to their status and reviewed_at.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            HANDOFF_METRICS_SQL, {"sla": sla_days(), "tz": settings.TIME_ZONE, "user_id": user_id}
        )
        columns = [c.name for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def handoff_with_dates(pk):
    return get_object_or_404(
        handoff_queryset().annotate(
            renewal_date=Func(
                F("company__renewal_month"),
                function="company.next_renewal_date",
                output_field=DateField(),
            )
        ),
        pk=pk,
    )


def handoff_slots(company_id: int):
    """The company's slots with their people and verification, for the handoff page."""
    return (
        CompanySlot.objects.filter(company_id=company_id)
        .select_related("contact", "contact__verification")
        .order_by("role_code")
    )
