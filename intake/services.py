"""Typed wrappers of the intake SQL functions: the only write path into ``intake.raw_loads``,
``vault.contacts`` and the promotion of ``intake.company_raw_intake``.

The rules live in the SECURITY DEFINER functions of ``intake/migrations/sql/0002_*.sql`` (RLS
lets only their owners write); these wrappers just call them on ``django.db.connection``, which a
request has already dropped to the runtime role (``SET LOCAL ROLE outreach_app``), and turn the
result rows into dataclasses. They open no transaction of their own: each SQL function is atomic,
and the caller's transaction (the request, or ``acting_as``) decides when it commits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from intake.models import WorkerToken


@dataclass(frozen=True)
class IngestRow:
    """One input row's outcome: ``pending``, ``duplicate`` or ``skipped`` (load_id None)."""

    load_id: int | None
    status: str
    message: str


@dataclass(frozen=True)
class IngestResult:
    """What ``intake.f_ingest_json`` reported: one row per input, in input order, plus counts."""

    rows: list[IngestRow]
    summary: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def inserted(self) -> int:
        return self.counts.get("inserted", 0)

    @property
    def duplicate(self) -> int:
        return self.counts.get("duplicate", 0)

    @property
    def skipped(self) -> int:
        return self.counts.get("skipped", 0)


@dataclass(frozen=True)
class PromoteResult:
    """What ``vault.f_promote_contacts`` reported."""

    promoted_count: int
    updated_count: int
    failed_count: int
    message: str


@dataclass(frozen=True)
class CompanyIntakePromoteResult:
    """What ``intake.f_promote_company_intake`` reported."""

    promoted_count: int
    rejected_count: int
    message: str


def _parse_counts(summary: str) -> dict[str, int]:
    """``'inserted=3 duplicate=1 skipped=1'`` → ``{'inserted': 3, ...}``."""
    counts = {}
    for part in summary.split():
        key, sep, value = part.partition("=")
        if sep and value.isdigit():
            counts[key] = int(value)
    return counts


@contextmanager
def _binary_cursor() -> Iterator[psycopg.Cursor]:
    """A server-side-binding psycopg cursor on Django's connection (same session, transaction
    and role), with psycopg errors turned into ``django.db`` ones.

    Django's own cursors bind parameters on the client (``ClientCursor``): a ``jsonb[]`` of
    thousands of rows would be sent as one quoted text literal and ``%b`` silently becomes text.
    """
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def batch_ingest(*, rows: Sequence[Mapping], source: str, batch_id: str) -> IngestResult:
    """Store raw JSON rows through ``intake.f_ingest_json(jsonb[], text, text)``.

    Sends the rows as one ``jsonb[]`` parameter in a single call. Rows without a usable email are
    skipped and reported; an email loaded in the last 30 days (or earlier in the same call) is
    stored as ``duplicate``; the rest as ``pending``. Raises ``django.db.DataError`` (22023) for a
    blank source or batch id.
    """
    with _binary_cursor() as cursor:
        # %b: the jsonb[] travels in binary (one array value, no quoting/escaping of the rows).
        cursor.execute(
            "SELECT load_id, status, message FROM intake.f_ingest_json(%b, %s, %s)",
            [[Jsonb(row) for row in rows], source, batch_id],
        )
        result = cursor.fetchall()
    summary = next(message for load_id, status, message in result if status == "summary")
    return IngestResult(
        rows=[IngestRow(*row) for row in result if row[1] != "summary"],
        summary=summary,
        counts=_parse_counts(summary),
    )


def loads_promote(*, load_ids: Sequence[int] | None = None) -> PromoteResult:
    """Promote pending raw loads through ``vault.f_promote_contacts(bigint[])``.

    ``load_ids=None`` promotes every pending load. Upserts ``vault.contacts`` by email and carries
    each contact into ``company.company`` (with its three slots), ``people.contact`` and the
    matching empty slot, all in the one transaction of the call.
    """
    ids = None if load_ids is None else list(load_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT promoted_count, updated_count, failed_count, message "
            "FROM vault.f_promote_contacts(%s::bigint[])",
            [ids],
        )
        return PromoteResult(*cursor.fetchone())


def company_intake_promote(
    *, intake_ids: Sequence[int] | None = None
) -> CompanyIntakePromoteResult:
    """Promote pending ``intake.company_raw_intake`` rows via ``intake.f_promote_company_intake``.

    ``intake_ids=None`` promotes every pending row. Invalid rows are rejected with their
    ``validation_errors``; valid ones find or create their company (with its three slots).
    """
    ids = None if intake_ids is None else list(intake_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT promoted_count, rejected_count, message "
            "FROM intake.f_promote_company_intake(%s::bigint[])",
            [ids],
        )
        return CompanyIntakePromoteResult(*cursor.fetchone())


def people_contact_relink(*, from_contact_id: int, to_contact_id: int) -> int:
    """Re-point vault contacts from one person to another via ``vault.f_relink_people_contact``.

    For person merges (absorbed → survivor) and their undo; returns the number of rows moved.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vault.f_relink_people_contact(%s, %s)", [from_contact_id, to_contact_id]
        )
        return cursor.fetchone()[0]


# --- Streaming ingest ---------------------------------------------------------------------------

INGEST_CHUNK_ROWS = 2000
SKIP_MESSAGES_KEPT = 50


class IngestRefused(Exception):
    """A whole upload was refused before anything was written; the message says why."""


@dataclass
class IngestTotals:
    """Counts over every chunk of one streamed ingest, plus the first skip messages."""

    rows: int = 0
    inserted: int = 0
    duplicate: int = 0
    skipped: int = 0
    chunks: int = 0
    skip_messages: list[str] = field(default_factory=list)

    def add(self, result: IngestResult, offset: int) -> None:
        self.chunks += 1
        self.rows += len(result.rows)
        self.inserted += result.inserted
        self.duplicate += result.duplicate
        self.skipped += result.skipped
        for row in result.rows:
            if row.status == "skipped" and len(self.skip_messages) < SKIP_MESSAGES_KEPT:
                # The SQL numbers rows within the chunk; renumber them within the file.
                head, _, rest = row.message.partition(" skipped: ")
                number = int(head.removeprefix("row ")) + offset
                self.skip_messages.append(f"row {number} skipped: {rest}")

    @property
    def summary(self) -> str:
        return (
            f"{self.rows} rows read: {self.inserted} stored as pending, "
            f"{self.duplicate} duplicates, {self.skipped} skipped"
        )


def batch_ingest_stream(
    *,
    rows: Iterable[Mapping],
    source: str,
    batch_id: str,
    chunk_size: int = INGEST_CHUNK_ROWS,
    on_progress: Callable[[int], None] | None = None,
) -> IngestTotals:
    """Ingest an iterable of rows in chunks of ``chunk_size`` through ``batch_ingest``.

    Only one chunk is held in memory. Runs in one savepoint: a failure in a later chunk (a
    ``ParseError`` raised by a lazy reader, a database error) rolls back the earlier chunks too,
    so an upload is stored whole or not at all. ``on_progress(rows_done)`` is called per chunk.
    """
    totals = IngestTotals()
    with transaction.atomic():
        chunk: list[Mapping] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= chunk_size:
                totals.add(batch_ingest(rows=chunk, source=source, batch_id=batch_id), totals.rows)
                chunk = []
                if on_progress:
                    on_progress(totals.rows)
        if chunk or not totals.chunks:
            totals.add(batch_ingest(rows=chunk, source=source, batch_id=batch_id), totals.rows)
            if on_progress:
                on_progress(totals.rows)
    return totals


def upload_ingest(
    *,
    open_rows: Callable[[], Iterable[Mapping]],
    source: str,
    batch_id: str,
    on_progress: Callable[[int], None] | None = None,
) -> IngestTotals:
    """Validate a whole upload in one streaming pass, then ingest it in chunks.

    ``open_rows()`` must return a fresh iterator over the file's rows each call (the file is read
    twice, never held whole). Any ``ParseError`` in the first pass refuses the upload with
    ``IngestRefused`` before anything is written; an empty file is refused too.
    """
    from intake.parsing import ParseError

    try:
        count = sum(1 for _ in open_rows())
    except ParseError as exc:
        raise IngestRefused(f"Nothing was stored. {exc}") from None
    if not count:
        raise IngestRefused("Nothing was stored: the file has no rows.")
    try:
        return batch_ingest_stream(
            rows=open_rows(), source=source, batch_id=batch_id, on_progress=on_progress
        )
    except ParseError as exc:  # the file changed between the passes
        raise IngestRefused(f"Nothing was stored. {exc}") from None


@dataclass(frozen=True)
class BatchPromoteOutcome:
    """A promotion's counts plus the audit row that names what it created or changed."""

    result: PromoteResult
    audit_log_id: int | None
    load_count: int


def batch_promote(
    *, batch_id: str, load_ids: Sequence[int] | None = None, actor: str
) -> BatchPromoteOutcome:
    """Promote the pending loads of one batch (all, or only ``load_ids`` of it).

    The ids are restricted to the batch in SQL, so a forged id from another batch is ignored.
    Raises ``IngestRefused`` when nothing in the selection is pending. ``actor`` names the
    user on the audit row (``outreach.actor`` is already set by the request or ``acting_as``).
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(array_agg(load_id ORDER BY load_id), '{}') FROM intake.raw_loads "
                "WHERE batch_id = %s AND status = 'pending' "
                "AND (%s::bigint[] IS NULL OR load_id = ANY(%s::bigint[]))",
                [
                    batch_id,
                    None if load_ids is None else list(load_ids),
                    None if load_ids is None else list(load_ids),
                ],
            )
            ids = cursor.fetchone()[0]
        if not ids:
            raise IngestRefused(
                f"Nothing to promote: batch {batch_id} has no pending loads selected."
            )
        result = loads_promote(load_ids=ids)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(log_id) FROM intake.audit_log WHERE action = 'batch_promoted' "
                "AND details -> 'requested_load_ids' = to_jsonb(%s::bigint[])",
                [ids],
            )
            audit_id = cursor.fetchone()[0]
    return BatchPromoteOutcome(result=result, audit_log_id=audit_id, load_count=len(ids))


# --- Worker API: tokens, leases, results ---------------------------------------------------------

LEASE_MINUTES = 10
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
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def worker_token_create(*, name: str, kind: str, actor: str) -> tuple[WorkerToken, str]:
    """Create a worker token; returns the row and the plain token, shown once and never stored."""
    import secrets

    token = "wk_" + secrets.token_urlsafe(32)
    row = WorkerToken.objects.create(name=name, kind=kind, token_hash=hash_token(token))
    return row, token


def worker_authenticate(*, token: str) -> WorkerAuth | None:
    """Find the active token by its SHA-256 and count this call in its fixed one-minute window.

    One UPDATE both authenticates and counts, so concurrent calls cannot under-count. Returns
    None for an unknown or inactive token.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE intake.worker_token t
            SET rate_count = CASE WHEN t.rate_window_start = date_trunc('minute', now())
                                  THEN t.rate_count + 1 ELSE 1 END,
                rate_window_start = date_trunc('minute', now()),
                last_used_at = now()
            WHERE t.token_hash = %s AND t.active
            RETURNING t.token_id, t.name, t.kind, t.rate_count > t.rate_limit_per_minute,
                      ceil(extract(epoch FROM date_trunc('minute', now()) + interval '1 minute'
                                              - clock_timestamp()))::int
            """,
            [hash_token(token)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return WorkerAuth(*row[:4], retry_after=max(1, row[4]))


def work_items_claim(*, worker_id: int, queue: str, limit: int) -> list[dict]:
    """Lease up to ``limit`` due items of ``queue`` to the worker for ``LEASE_MINUTES``.

    Candidates are due items without a live lease, stalest first. The lease is taken with
    INSERT ... ON CONFLICT on the unique (queue, item_key): an expired lease is taken over, a
    live one (even one another worker inserted a moment ago — the insert waits for it) is left
    alone, so two workers never hold the same item.
    """
    sql = f"""
        WITH q AS ({_QUEUE_SQL[queue]}),
        cand AS MATERIALIZED (
            SELECT q.key, q.item FROM q
            WHERE NOT EXISTS (SELECT 1 FROM intake.work_item_lease l
                              WHERE l.queue = %(queue)s AND l.item_key = q.key
                                AND l.leased_until > now())
            ORDER BY q.last_checked_at NULLS FIRST, q.key
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
        SELECT c.item || jsonb_build_object('leased_until', leased.leased_until)
        FROM leased JOIN cand c ON c.key = leased.item_key
        ORDER BY c.item ->> 'last_checked_at' NULLS FIRST, c.key
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"queue": queue, "limit": limit, "worker": worker_id, "minutes": LEASE_MINUTES}
        )
        # Django leaves jsonb undecoded on raw cursors.
        return [json.loads(row[0]) for row in cursor.fetchall()]


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


COMPANY_CHECK_COLUMN = {
    "website": "last_site_checked_at",
    "linkedin": "last_linkedin_checked_at",
    "news": "last_news_checked_at",
}


def company_scrape_record(*, worker_id: int, worker_name: str, data: Mapping) -> int:
    """Record a company scrape: one ``company.intelligence`` row and the URL's
    ``last_*_checked_at``; releases the lease. Returns the intelligence id."""
    from companies.models import Company, CompanyIntelligence

    key = f"{data['company_id']}:{data['url_type']}"
    with transaction.atomic():
        _release_lease(worker_id=worker_id, queue="company_urls", item_key=key)
        checked = data.get("checked_at") or timezone.now()
        updated = Company.objects.filter(pk=data["company_id"]).update(
            **{COMPANY_CHECK_COLUMN[data["url_type"]]: checked}
        )
        if not updated:
            raise WorkerConflict(f"company {data['company_id']} does not exist.")
        row = CompanyIntelligence.objects.create(
            company_id=data["company_id"],
            intelligence_type=data.get("intelligence_type") or "scrape",
            source=worker_name,
            title=data.get("title") or None,
            description=data.get("description") or None,
            url=data.get("url") or None,
            score=data.get("score"),
            detected_at=checked,
            payload={"url_type": data["url_type"], **(data.get("data") or {})},
        )
    return row.pk


def profile_scrape_record(*, worker_id: int, worker_name: str, data: Mapping) -> int:
    """Record a profile scrape: one ``people.intelligence`` row and the person's
    ``last_profile_checked_at``; releases the lease. Returns the intelligence id."""
    from people.models import Contact, PersonIntelligence

    with transaction.atomic():
        _release_lease(worker_id=worker_id, queue="profile_urls", item_key=str(data["contact_id"]))
        checked = data.get("checked_at") or timezone.now()
        if not Contact.objects.filter(pk=data["contact_id"]).update(
            last_profile_checked_at=checked
        ):
            raise WorkerConflict(f"person {data['contact_id']} does not exist.")
        row = PersonIntelligence.objects.create(
            contact_id=data["contact_id"],
            intelligence_type=data.get("intelligence_type") or "profile_scrape",
            new_value=data.get("headline") or None,
            linkedin_data=data.get("linkedin_data"),
            skills=data.get("skills"),
            experience=data.get("experience"),
            education=data.get("education"),
            payload={"worker": worker_name, **(data.get("data") or {})},
            detected_at=checked,
        )
    return row.pk


def email_verification_record(*, worker_id: int, worker_name: str, data: Mapping) -> int:
    """Record an email verification result (``people.email_verification``; its trigger sets
    ``contact_verification``); releases the lease. Returns the verification id."""
    from people.models import Contact, EmailVerification

    with transaction.atomic():
        _release_lease(worker_id=worker_id, queue="email_recheck", item_key=str(data["contact_id"]))
        contact = Contact.objects.filter(pk=data["contact_id"]).only("email").first()
        if contact is None:
            raise WorkerConflict(f"person {data['contact_id']} does not exist.")
        row = EmailVerification.objects.create(
            contact_id=contact.pk,
            email=data.get("email") or contact.email,
            email_status=data["email_status"],
            confidence=data.get("confidence"),
            provider=data.get("provider") or worker_name,
            source_url=data.get("source_url") or None,
            result=data.get("result") or {},
            **({"verified_at": data["verified_at"]} if data.get("verified_at") else {}),
        )
    return row.pk


def linkedin_job_update(*, data: Mapping) -> None:
    """Set a LinkedIn refresh job's status (and run id, result or error); ``WorkerConflict`` for
    an unknown job. A finished status stamps ``completed_at`` unless given."""
    from intake.models import LinkedinRefreshJob

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
    from intake.models import ActorUsageLog

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


class PleRun:
    """Records one pipeline run as ``ple.cycle`` with one step and its log lines."""

    def __init__(self, *, name: str, step: str, started_by: str):
        from intake.models import PleCycle, PleStep

        self.cycle = PleCycle.objects.create(
            cycle_name=name, status="running", started_by=started_by
        )
        self.step = PleStep.objects.create(cycle=self.cycle, step_name=step, status="running")

    def log(self, message: str, level: str = "info") -> None:
        from intake.models import PleLog

        PleLog.objects.create(step=self.step, message=message, log_level=level)

    def finish(self, *, counts: dict, status: str = "completed") -> None:
        now = timezone.now()
        for row in (self.step, self.cycle):
            row.status, row.counts, row.completed_at = status, counts, now
            row.save(update_fields=["status", "counts", "completed_at"])
