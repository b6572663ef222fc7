"""Read queries of the intake pages: batches aggregated in SQL, per-load results and lineage."""

from __future__ import annotations

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection
from django.db.models import BigIntegerField, Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from intake.models import AuditLog, RawLoad, VaultContact
from marketing.models import PipelineEvent


def batch_list():
    """One row per batch_id: sources, counts by status, first/last load, who ingested it."""
    ingested_by = (
        AuditLog.objects.filter(batch_id=OuterRef("batch_id"), action="batch_ingested")
        .order_by("log_id")
        .values("user_name")[:1]
    )
    return (
        RawLoad.objects.order_by()
        .values("batch_id")
        .annotate(
            sources=StringAgg("source", delimiter=", ", distinct=True, ordering="source"),
            total=Count("load_id"),
            n_pending=Count("load_id", filter=Q(status="pending")),
            n_promoted=Count("load_id", filter=Q(status="promoted")),
            n_duplicate=Count("load_id", filter=Q(status="duplicate")),
            n_failed=Count("load_id", filter=Q(status="failed")),
            first_created=Min("created_at"),
            last_created=Max("created_at"),
            ingested_by=Subquery(ingested_by),
        )
        .order_by("-last_created", "batch_id")
    )


def batch_summary(batch_id: str) -> dict | None:
    return batch_list().filter(batch_id=batch_id).first()


def _vault_id():
    return Cast(KT("metadata__vault_contact_id"), BigIntegerField())


def batch_loads(batch_id: str):
    """The loads of one batch with email, name and the person each promoted load fed."""
    vault = VaultContact.objects.filter(contact_id=OuterRef("vault_id"))
    return (
        RawLoad.objects.filter(batch_id=batch_id)
        .annotate(
            email=KT("raw_data__email"),
            vault_id=_vault_id(),
            duplicate_of=Cast(KT("metadata__duplicate_of"), BigIntegerField()),
            failure_reason=KT("metadata__failure_reason"),
            person_id=Subquery(vault.values("people_contact_id")[:1]),
            person_name=Subquery(vault.values("people_contact__full_name")[:1]),
        )
        .order_by("load_id")
    )


def promotion_events(audit_log_id: int):
    """The golden records one promotion created or changed (its pipeline events)."""
    return PipelineEvent.objects.filter(event_data__audit_log_id=audit_log_id).order_by("event_id")[
        :200
    ]


def load_lineage(load_id: int) -> dict:
    """What one raw load fed: its vault contact, that contact's person, and the events of the
    promotion that processed it."""
    load = RawLoad.objects.get(pk=load_id)
    vault_id = load.metadata.get("vault_contact_id")
    vault = (
        VaultContact.objects.select_related("people_contact").filter(pk=vault_id).first()
        if vault_id
        else None
    )
    audit_id = load.metadata.get("audit_log_id")
    events = list(promotion_events(audit_id)) if audit_id else []
    person_id = vault.people_contact_id if vault else None
    fed = [
        e
        for e in events
        if (e.event_data or {}).get("contact_id") == person_id
        or (e.event_data or {}).get("load_id") == load_id
        or (
            e.event_type == "company_created"
            and person_id
            and (e.event_data or {}).get("company_id")
            == (vault.people_contact.company_id if vault and vault.people_contact else None)
        )
    ]
    return {"load": load, "vault": vault, "events": fed}


def lineage_for_contact(contact_id: int, limit: int = 20) -> list[dict]:
    """Loads that created or changed a person: every raw load promoted into a vault contact
    linked to ``people.contact`` ``contact_id``, newest first, with the pipeline events about
    the person. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.load_id, r.batch_id, r.source, r.status, r.created_at, r.promoted_at,
                   v.contact_id AS vault_id, v.email,
                   (SELECT string_agg(DISTINCT e.event_type, ', ')
                    FROM marketing.pipeline_events e
                    WHERE e.event_data ->> 'audit_log_id' = r.metadata ->> 'audit_log_id'
                      AND (e.event_data ->> 'contact_id')::bigint = %(id)s) AS events
            FROM vault.contacts v
            JOIN intake.raw_loads r
              ON (r.metadata ->> 'vault_contact_id')::bigint = v.contact_id
            WHERE v.people_contact_id = %(id)s
            ORDER BY r.load_id DESC
            LIMIT %(limit)s
            """,
            {"id": contact_id, "limit": limit},
        )
        cols = [c.name for c in cursor.description]
        return [dict(zip(cols, row, strict=True)) for row in cursor.fetchall()]


def lineage_for_company(company_id: int, limit: int = 20) -> list[dict]:
    """Loads that created or changed a company: the loads behind its pipeline events
    (company_created names the first load in ``source_record_id``; slot_filled names its load)
    plus the loads of its people. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH ids AS (
                SELECT substring(c.source_record_id FROM '^intake\\.raw_loads:(\\d+)$')::bigint
                       AS load_id, 'company created' AS effect
                FROM company.company c WHERE c.company_id = %(id)s
                UNION ALL
                SELECT (e.event_data ->> 'load_id')::bigint, 'slot filled: ' ||
                       (e.event_data ->> 'role_code')
                FROM marketing.pipeline_events e
                WHERE e.event_type = 'slot_filled'
                  AND (e.event_data ->> 'company_id')::bigint = %(id)s
                UNION ALL
                SELECT r.load_id,
                       'person: ' || coalesce(p.full_name, p.email, '')
                FROM people.contact p
                JOIN vault.contacts v ON v.people_contact_id = p.contact_id
                JOIN intake.raw_loads r
                  ON (r.metadata ->> 'vault_contact_id')::bigint = v.contact_id
                WHERE p.company_id = %(id)s
            )
            SELECT r.load_id, r.batch_id, r.source, r.status, r.created_at, r.promoted_at,
                   string_agg(DISTINCT i.effect, '; ') AS events
            FROM ids i JOIN intake.raw_loads r ON r.load_id = i.load_id
            GROUP BY r.load_id
            ORDER BY r.load_id DESC
            LIMIT %(limit)s
            """,
            {"id": company_id, "limit": limit},
        )
        cols = [c.name for c in cursor.description]
        return [dict(zip(cols, row, strict=True)) for row in cursor.fetchall()]
