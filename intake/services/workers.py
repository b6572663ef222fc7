"""The worker API's write path: tokens, leases over the freshness queues, and the results
workers report (company and person results are written by the companies and people services)."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from companies import services as company_services
from intake.models import ActorUsageLog, LinkedinRefreshJob, WorkerToken
from people import services as people_services

LEASE_MINUTES = 10
CLAIM_ROUNDS = 3
QUEUE_KINDS = {"company_urls": "scraper", "profile_urls": "scraper", "email_recheck": "verifier"}

# Each queue as (key, last_checked_at, item payload) rows over its freshness view.
_QUEUE_SQL = {
    "company_urls": """
        SELECT q.company_id::text || ':' || q.url_type AS key, q.last_checked_at,
               jsonb_build_object('item_key', q.company_id::text || ':' || q.url_type,
                                  'company_id', q.company_id, 'url_type', q.url_type,
                                  'url', q.url, 'last_checked_at', q.last_checked_at) AS item
        FROM company.next_company_urls_30d q""",
    "profile_urls": """
        SELECT q.contact_id::text AS key, q.last_checked_at,
               jsonb_build_object('item_key', q.contact_id::text, 'contact_id', q.contact_id,
                                  'url', q.url, 'last_checked_at', q.last_checked_at) AS item
        FROM people.next_profile_urls_30d q""",
    "email_recheck": """
        SELECT q.contact_id::text AS key, q.last_checked_at,
               jsonb_build_object('item_key', q.contact_id::text, 'contact_id', q.contact_id,
                                  'email', q.email, 'full_name', q.full_name,
                                  'email_status', q.email_status,
                                  'last_checked_at', q.last_checked_at) AS item
        FROM people.due_email_recheck_30d q""",
}


class WorkerConflict(Exception):
    """The item is unknown, or not leased to this worker (HTTP 409)."""


@dataclass(frozen=True)
class WorkerAuth:
    """An authenticated worker and its rate-limit state for the current minute."""

    token_id: int
    name: str
    kind: str
    over_limit: bool
    retry_after: int


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def worker_token_create(*, name: str, kind: str, actor: str) -> tuple[WorkerToken, str]:
    """Create a worker token; returns the row and the plain token, shown once and never stored."""
    token = "wk_" + secrets.token_urlsafe(32)
    row = WorkerToken.objects.create(name=name, kind=kind, token_hash=hash_token(token))
    return row, token


def worker_authenticate(*, token: str) -> WorkerAuth | None:
    """Find the active token by its SHA-256 and count this call in its fixed one-minute window:
    ``intake.worker_authenticate`` (intake 0091), one UPDATE that both authenticates and counts,
    so concurrent calls cannot under-count. The runtime role cannot read the hash column itself.
    Returns None for an unknown or inactive token.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake.worker_authenticate(%s)", [hash_token(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    return WorkerAuth(*row[:4], retry_after=max(1, row[4]))


def worker_auth_blocked(*, client: str | None) -> int | None:
    """Seconds until ``client`` may present a token again, or None when it is not blocked
    (fewer than ``WORKER_AUTH_FAILURES_PER_MINUTE`` wrong tokens in the current minute)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ceil(extract(epoch FROM window_start + interval '1 minute'
                                            - clock_timestamp()))::int
            FROM intake.worker_auth_failure
            WHERE client = %s AND window_start = date_trunc('minute', now()) AND failures >= %s
            """,
            [client or "", settings.WORKER_AUTH_FAILURES_PER_MINUTE],
        )
        row = cursor.fetchone()
    return max(1, row[0]) if row else None


def worker_auth_failure_record(*, client: str | None) -> None:
    """Count one wrong, inactive or missing token from ``client`` in the current minute."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO intake.worker_auth_failure AS f (client, window_start, failures)
            VALUES (%s, date_trunc('minute', now()), 1)
            ON CONFLICT (client) DO UPDATE
                SET failures = CASE WHEN f.window_start = EXCLUDED.window_start
                                    THEN f.failures + 1 ELSE 1 END,
                    window_start = EXCLUDED.window_start
            """,
            [client or ""],
        )


def work_items_claim(*, worker_id: int, queue: str, limit: int) -> list[dict]:
    """Lease up to ``limit`` due items of ``queue`` to the worker for ``LEASE_MINUTES``.

    Candidates are due items without a live lease, stalest first. The lease is taken with
    INSERT ... ON CONFLICT on the unique (queue, item_key): an expired lease is taken over, a
    live one (even one another worker inserted a moment ago — the insert waits for it) is left
    alone, so two workers never hold the same item.

    Concurrent claimers skip each other's candidates instead of competing for the same first
    ``limit`` rows (where the slower one came back empty although items remained): each
    candidate, in queue order, is taken only if a transaction-level advisory lock on (queue,
    key) is free, the ``SKIP LOCKED`` of rows that come from views. An item whose lease was
    committed between this statement's snapshot and its lock is lost to the other worker; a
    short round is retried (up to ``CLAIM_ROUNDS`` statements) so the claim still fills up.
    """
    sql = f"""
        WITH q AS ({_QUEUE_SQL[queue]}),
        cand AS MATERIALIZED (
            -- The lock is tried on the sorted rows one by one until the LIMIT is reached:
            -- OFFSET 0 keeps the planner from pushing the lock test below the ORDER BY (into
            -- the view, where it would lock every due item).
            SELECT s.key, s.item FROM (
                SELECT q.key, q.item FROM q
                WHERE NOT EXISTS (SELECT 1 FROM intake.work_item_lease l
                                  WHERE l.queue = %(queue)s AND l.item_key = q.key
                                    AND l.leased_until > now())
                ORDER BY q.last_checked_at NULLS FIRST, q.key
                OFFSET 0
            ) s
            WHERE pg_try_advisory_xact_lock(hashtext('claim:' || %(queue)s), hashtext(s.key))
            LIMIT %(limit)s
        ),
        leased AS (
            INSERT INTO intake.work_item_lease AS l
                (queue, item_key, worker_id, leased_at, leased_until)
            SELECT %(queue)s, c.key, %(worker)s, now(),
                   now() + make_interval(mins => %(minutes)s)
            FROM cand c
            ORDER BY c.key
            ON CONFLICT (queue, item_key) DO UPDATE
                SET worker_id = EXCLUDED.worker_id, leased_at = EXCLUDED.leased_at,
                    leased_until = EXCLUDED.leased_until
                WHERE l.leased_until <= now()
            RETURNING l.item_key, l.leased_until
        )
        SELECT (SELECT count(*) FROM cand),
               coalesce(jsonb_agg(c.item || jsonb_build_object('leased_until', leased.leased_until)
                                  ORDER BY c.item ->> 'last_checked_at' NULLS FIRST, c.key),
                        '[]')
        FROM leased JOIN cand c ON c.key = leased.item_key
    """
    items: list[dict] = []
    with connection.cursor() as cursor:
        for _ in range(CLAIM_ROUNDS):
            wanted = limit - len(items)
            cursor.execute(
                sql,
                {"queue": queue, "limit": wanted, "worker": worker_id, "minutes": LEASE_MINUTES},
            )
            candidates, leased = cursor.fetchone()
            # Django leaves jsonb undecoded on raw cursors.
            items += json.loads(leased)
            if len(items) == limit or candidates < wanted:
                break  # full, or the queue has no more free items
    return items


def _release_lease(*, worker_id: int, queue: str, item_key: str) -> None:
    """Delete this worker's live lease on the item, or raise ``WorkerConflict``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM intake.work_item_lease WHERE queue = %s AND item_key = %s "
            "AND worker_id = %s AND leased_until > now() RETURNING lease_id",
            [queue, item_key, worker_id],
        )
        if cursor.fetchone() is None:
            raise WorkerConflict(f"{queue} item {item_key} is not leased to this worker.")


COMPANY_CHECK_COLUMN = company_services.COMPANY_CHECK_COLUMN


def company_scrape_record(*, worker_id: int, worker_name: str, data: Mapping) -> int:
    """Record a company scrape: one ``company.intelligence`` row and the URL's
    ``last_*_checked_at`` (``companies.services.company_intelligence_record``); releases the
    lease. Returns the intelligence id."""
    key = f"{data['company_id']}:{data['url_type']}"
    with transaction.atomic():
        _release_lease(worker_id=worker_id, queue="company_urls", item_key=key)
        row_id = company_services.company_intelligence_record(
            company_id=data["company_id"], source=worker_name, data=data
        )
        if row_id is None:
            raise WorkerConflict(f"company {data['company_id']} does not exist.")
    return row_id


def profile_scrape_record(*, worker_id: int, worker_name: str, data: Mapping) -> int:
    """Record a profile scrape: one ``people.intelligence`` row and the person's
    ``last_profile_checked_at`` (``people.services.person_intelligence_record``); releases the
    lease. Returns the intelligence id."""
    with transaction.atomic():
        _release_lease(worker_id=worker_id, queue="profile_urls", item_key=str(data["contact_id"]))
        row_id = people_services.person_intelligence_record(
            contact_id=data["contact_id"], source=worker_name, data=data
        )
        if row_id is None:
            raise WorkerConflict(f"person {data['contact_id']} does not exist.")
    return row_id


def email_verification_record(*, worker_id: int, worker_name: str, data: Mapping) -> int:
    """Record an email verification result (``people.services.person_verification_record``;
    its trigger sets ``contact_verification``); releases the lease. Returns the verification id."""
    with transaction.atomic():
        _release_lease(worker_id=worker_id, queue="email_recheck", item_key=str(data["contact_id"]))
        try:
            row_id = people_services.person_verification_record(
                contact_id=data["contact_id"], provider=worker_name, data=data
            )
        except people_services.AddressNotCurrent as exc:
            raise WorkerConflict(str(exc)) from None
        if row_id is None:
            raise WorkerConflict(f"person {data['contact_id']} does not exist.")
    return row_id


def linkedin_job_update(*, data: Mapping) -> None:
    """Set a LinkedIn refresh job's status (and run id, result or error); ``WorkerConflict`` for
    an unknown job. A finished status stamps ``completed_at`` unless given."""
    with transaction.atomic():
        job = LinkedinRefreshJob.objects.select_for_update().filter(pk=data["job_id"]).first()
        if job is None:
            raise WorkerConflict(f"LinkedIn refresh job {data['job_id']} does not exist.")
        job.status = data["status"]
        for name in ("apify_run_id", "result_data", "error_message", "started_at"):
            if data.get(name) not in (None, ""):
                setattr(job, name, data[name])
        if data["status"] == "running" and not job.started_at:
            job.started_at = timezone.now()
        if data["status"] in ("completed", "failed"):
            job.completed_at = data.get("completed_at") or timezone.now()
        job.save()


def actor_usage_record(*, data: Mapping) -> int:
    """Append one ``public.actor_usage_log`` row; returns its id."""
    fields = (
        "actor_id",
        "run_id",
        "status",
        "started_at",
        "finished_at",
        "compute_units",
        "dataset_items",
        "error_message",
    )
    row = ActorUsageLog.objects.create(
        **{f: data.get(f) for f in fields if data.get(f) not in (None, "")},
        metadata=data.get("metadata") or {},
    )
    return row.pk


# --- Pipeline runs (ple) -------------------------------------------------------------------------
