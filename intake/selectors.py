"""Read queries of the intake pages: batches aggregated in SQL, per-load results and lineage."""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Func,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
    TextField,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from intake.models import BatchSummary, RawLoad, SavedMapping, VaultContact
from marketing.models import PipelineEvent


def saved_mapping(*, source: str, preset: str) -> SavedMapping | None:
    """The column mapping saved for files of ``source`` and ``preset`` (shared by every user),
    or None."""
    return SavedMapping.objects.filter(source=source, preset=preset).first()


def batch_list():
    """One row per batch_id: sources, counts by status, first/last load, who ingested it.

    Read from ``intake.batch_summary`` (one row per batch, source and UTC day, kept by statement
    triggers on raw_loads), so the page aggregates a few rows per batch, not every load.
    """
    return (
        BatchSummary.objects.order_by()
        .values("batch_id")
        .annotate(
            sources=StringAgg("source", delimiter=", ", distinct=True, order_by="source"),
            total=Sum("loads_total"),
            n_pending=Sum("loads_pending"),
            n_promoted=Sum("loads_promoted"),
            n_duplicate=Sum("loads_duplicate"),
            n_failed=Sum("loads_failed"),
            first_created=Min("first_created"),
            last_created=Max("last_created"),
            ingested_by=Func(
                ArrayAgg("ingested_by", order_by="first_load_id"),
                template="(%(expressions)s)[1]",
                output_field=TextField(),
            ),
        )
        .filter(total__gt=0)
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
            -- the e-mail equality is implied (promotion links a load to the vault contact of
            -- its normalised e-mail) and lets raw_loads_email_norm_idx find the loads instead
            -- of a scan of every load's metadata
            JOIN intake.raw_loads r
              ON lower(btrim(r.raw_data ->> 'email')) = v.email
             AND (r.metadata ->> 'vault_contact_id')::bigint = v.contact_id
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
                  ON lower(btrim(r.raw_data ->> 'email')) = v.email
                 AND (r.metadata ->> 'vault_contact_id')::bigint = v.contact_id
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


# --- Freshness queues --------------------------------------------------------------------------

QUEUES = {
    "company_urls": ("Company URLs", "company.next_company_urls_30d"),
    "profile_urls": ("Profile URLs", "people.next_profile_urls_30d"),
    "email_recheck": ("Email rechecks", "people.due_email_recheck_30d"),
}

# One row shape for every queue: key, record id, name, what to check, its kind, last check,
# and the worker holding a live lease on it.
_QUEUE_ROWS = {
    "company_urls": """
        SELECT q.company_id::text || ':' || q.url_type AS item_key, q.company_id AS record_id,
               c.company_name AS name, q.url AS target, q.url_type AS kind, q.last_checked_at
        FROM company.next_company_urls_30d q JOIN company.company c USING (company_id)""",
    "profile_urls": """
        SELECT q.contact_id::text AS item_key, q.contact_id AS record_id, p.full_name AS name,
               q.url AS target, 'profile' AS kind, q.last_checked_at
        FROM people.next_profile_urls_30d q JOIN people.contact p USING (contact_id)""",
    "email_recheck": """
        SELECT q.contact_id::text AS item_key, q.contact_id AS record_id, q.full_name AS name,
               q.email AS target, q.email_status AS kind, q.last_checked_at
        FROM people.due_email_recheck_30d q""",
}


QUEUE_COUNT_CAP = 1000


def queue_size_sql(key: str, cap: int) -> str:
    """The bounded count of one queue as a scalar subquery (also embedded by the dashboard)."""
    return f"(SELECT count(*) FROM (SELECT 1 FROM {QUEUES[key][1]} LIMIT {int(cap) + 1}) t)"


def queue_sizes(cap: int | None = None) -> dict[str, int]:
    """Due items per queue, counted only up to ``cap + 1`` (one query of three bounded counts).

    A full count walks the whole view (every active company's three URLs, every live person:
    150-230 ms at size S, ten times that at M); counting the first ``cap + 1`` rows stops early
    (~3 ms) and a size above ``cap`` is shown as "1,000+".
    """
    cap = QUEUE_COUNT_CAP if cap is None else cap
    sql = ", ".join(queue_size_sql(key, cap) for key in QUEUES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return dict(zip(QUEUES, cursor.fetchone(), strict=True))


def queue_rows_sql(queue: str, *, q: str = "", kind: str = "", never_checked: bool = False):
    """SQL and params of a queue's rows (filtered), stalest first, with the live lease holder."""
    where, params = [], {"queue": queue}
    if q:
        where.append("(r.name ILIKE %(q)s OR r.target ILIKE %(q)s)")
        params["q"] = f"%{q}%"
    if kind:
        where.append("r.kind = %(kind)s")
        params["kind"] = kind
    if never_checked:
        where.append("r.last_checked_at IS NULL")
    sql = f"""
        SELECT r.record_id, r.name, r.kind, r.target, r.last_checked_at, w.name AS leased_to,
               l.leased_until
        FROM ({_QUEUE_ROWS[queue]}) r
        LEFT JOIN intake.work_item_lease l
               ON l.queue = %(queue)s AND l.item_key = r.item_key AND l.leased_until > now()
        LEFT JOIN intake.worker_token w ON w.token_id = l.worker_id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY r.last_checked_at NULLS FIRST, r.record_id, r.kind
    """
    return sql, params


# The company URL queue's kinds: (kind, URL column, last-check column), one index each
# (companies 0091) in the queue's order.
_COMPANY_URL_KINDS = (
    ("website", "website_url", "last_site_checked_at"),
    ("linkedin", "linkedin_url", "last_linkedin_checked_at"),
    ("news", "news_url", "last_news_checked_at"),
)


def company_url_queue_sql(*, q: str = "", kind: str = "", never_checked: bool = False):
    """SQL and params of the company URL queue's first ``%(limit)s + %(offset)s`` rows (issue 18).

    The same rows, filters and order as :func:`queue_rows_sql` over
    ``company.next_company_urls_30d``, built as a UNION ALL of one branch per URL kind, each
    reading its index (companies 0091) in queue order and stopping after ``offset + limit``
    rows: the page's rows are among each branch's first ``offset + limit`` (within a branch the
    kind is constant, so the queue order is the index order). The whole view sorted 3 x 95k
    rows at M to keep 51.
    """
    branches = []
    for name, url, checked in _COMPANY_URL_KINDS:
        if kind and kind != name:
            continue
        where = [
            "c.status = 'active'",
            f"nullif(btrim(c.{url}), '') IS NOT NULL",
            f"(c.{checked} IS NULL OR c.{checked} < now() - interval '30 days')",
        ]
        if q:
            where.append(f"(c.company_name ILIKE %(q)s OR c.{url} ILIKE %(q)s)")
        if never_checked:
            where.append(f"c.{checked} IS NULL")
        branches.append(
            f"""(SELECT c.company_id::text || ':{name}' AS item_key, c.company_id AS record_id,
                    c.company_name AS name, c.{url} AS target, '{name}'::text AS kind,
                    c.{checked} AS last_checked_at
             FROM company.company c
             WHERE {" AND ".join(where)}
             ORDER BY c.{checked} NULLS FIRST, c.company_id
             LIMIT %(branch_limit)s)"""
        )
    return _branches_sql(branches, "company_urls", q, {})


def _branches_sql(branches: list[str], queue: str, q: str, params: dict) -> tuple[str, dict]:
    """The lease join and order over the UNION ALL of a queue's LIMITed branches (none: a kind
    the queue does not have, so no rows); ``q`` is the branches' name-or-target filter."""
    branches = branches or [_NO_QUEUE_ROWS]
    params["queue"] = queue
    if q:
        params["q"] = f"%{q}%"
    sql = f"""
        SELECT r.record_id, r.name, r.kind, r.target, r.last_checked_at, w.name AS leased_to,
               l.leased_until
        FROM ({" UNION ALL ".join(branches)}) r
        LEFT JOIN intake.work_item_lease l
               ON l.queue = %(queue)s AND l.item_key = r.item_key AND l.leased_until > now()
        LEFT JOIN intake.worker_token w ON w.token_id = l.worker_id
        ORDER BY r.last_checked_at NULLS FIRST, r.record_id, r.kind
    """
    return sql, params


def profile_url_queue_sql(*, q: str = "", kind: str = "", never_checked: bool = False):
    """SQL and params of the profile URL queue's first ``%(branch_limit)s`` rows (issue 18).

    The rows, filters and order of :func:`queue_rows_sql` over ``people.next_profile_urls_30d``,
    read in the order of the partial index ``contact_profile_check_queue_idx`` (people 0081)
    and stopped after ``offset + limit`` rows, instead of sorting every live person.
    """
    if kind and kind != "profile":
        return _branches_sql([], "profile_urls", "", {})
    url = "coalesce(nullif(btrim(p.profile_source_url), ''), p.linkedin_url)"
    where = [
        "p.status NOT IN ('merged', 'inactive')",
        "coalesce(nullif(btrim(p.profile_source_url), ''), nullif(btrim(p.linkedin_url), ''))"
        " IS NOT NULL",
        "(p.last_profile_checked_at IS NULL"
        " OR p.last_profile_checked_at < now() - interval '30 days')",
    ]
    if q:
        where.append(f"(p.full_name ILIKE %(q)s OR {url} ILIKE %(q)s)")
    if never_checked:
        where.append("p.last_profile_checked_at IS NULL")
    branch = f"""(SELECT p.contact_id::text AS item_key, p.contact_id AS record_id,
                    p.full_name AS name, {url} AS target, 'profile'::text AS kind,
                    p.last_profile_checked_at AS last_checked_at
             FROM people.contact p
             WHERE {" AND ".join(where)}
             ORDER BY p.last_profile_checked_at NULLS FIRST, p.contact_id
             LIMIT %(branch_limit)s)"""
    return _branches_sql([branch], "profile_urls", q, {})


def email_recheck_queue_sql(*, q: str = "", kind: str = "", never_checked: bool = False):
    """SQL and params of the e-mail recheck queue's first ``%(branch_limit)s`` rows (issue 18).

    The rows, filters and order of :func:`queue_rows_sql` over ``people.due_email_recheck_30d``
    as two LIMITed branches: people with a verification row, read in the order of
    ``contact_verif_check_queue_idx`` (people 0081: last check, never-checked first, then the
    person), and people without one (never checked, "gray"), read in person order. The view
    sorted every live person with an e-mail to keep one page.
    """
    live = [
        "p.email IS NOT NULL",
        "p.status NOT IN ('merged', 'unsubscribed', 'inactive')",
    ]
    if q:
        live.append("(p.full_name ILIKE %(q)s OR p.email ILIKE %(q)s)")
    params: dict = {}
    if kind:
        params["kind"] = kind
    checked = list(live)
    checked.append(
        "(v.email_checked_at IS NULL OR v.email_checked_at < now() - interval '30 days')"
    )
    if never_checked:
        checked.append("v.email_checked_at IS NULL")
    if kind:
        checked.append("coalesce(v.email_status, 'gray') = %(kind)s")
    columns = """p.contact_id::text AS item_key, p.contact_id AS record_id, p.full_name AS name,
                    p.email AS target"""
    branches = [
        f"""(SELECT {columns}, coalesce(v.email_status, 'gray') AS kind,
                    v.email_checked_at AS last_checked_at
             FROM people.contact_verification v
             JOIN people.contact p ON p.contact_id = v.contact_id
             WHERE {" AND ".join(checked)}
             ORDER BY v.email_checked_at NULLS FIRST, v.contact_id
             LIMIT %(branch_limit)s)"""
    ]
    if not kind or kind == "gray":
        unverified = [
            *live,
            "NOT EXISTS (SELECT 1 FROM people.contact_verification v"
            " WHERE v.contact_id = p.contact_id)",
        ]
        branches.append(
            f"""(SELECT {columns}, 'gray'::text AS kind, NULL::timestamptz AS last_checked_at
             FROM people.contact p
             WHERE {" AND ".join(unverified)}
             ORDER BY p.contact_id
             LIMIT %(branch_limit)s)"""
        )
    return _branches_sql(branches, "email_recheck", q, params)


_NO_QUEUE_ROWS = (
    "(SELECT NULL::text AS item_key, NULL::bigint AS record_id, NULL::text AS name,"
    " NULL::text AS target, NULL::text AS kind, NULL::timestamptz AS last_checked_at"
    " WHERE false)"
)

# Each queue's page query: LIMITed index-ordered branches (issue 18).
_QUEUE_PAGE_SQL = {
    "company_urls": company_url_queue_sql,
    "profile_urls": profile_url_queue_sql,
    "email_recheck": email_recheck_queue_sql,
}


def queue_page(queue: str, *, page: int, per_page: int = 50, **filters):
    """One page of a queue (``per_page + 1`` rows fetched to know if there is a next page).

    Each queue reads its index-ordered branches (``_QUEUE_PAGE_SQL``); the CSV export
    (:func:`queue_iter`) reads the whole view.
    """
    sql, params = _QUEUE_PAGE_SQL[queue](**filters)
    params.update(limit=per_page + 1, offset=(page - 1) * per_page)
    params["branch_limit"] = params["limit"] + params["offset"]
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT %(limit)s OFFSET %(offset)s", params)
        cols = [c.name for c in cursor.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]
    return rows[:per_page], len(rows) > per_page


def queue_iter(queue: str, **filters):
    """Every row of a filtered queue, streamed from a server-side cursor (for CSV export)."""
    sql, params = queue_rows_sql(queue, **filters)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        cols = [c.name for c in cursor.description]
        while batch := cursor.fetchmany(2000):
            for row in batch:
                yield dict(zip(cols, row, strict=True))
