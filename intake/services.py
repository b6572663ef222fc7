"""Typed wrappers of the intake SQL functions: the only write path into ``intake.raw_loads``,
``vault.contacts`` and the promotion of ``intake.company_raw_intake``.

The rules live in the SECURITY DEFINER functions of ``intake/migrations/sql/0002_*.sql`` (RLS
lets only their owners write); these wrappers just call them on ``django.db.connection``, which a
request has already dropped to the runtime role (``SET LOCAL ROLE outreach_app``), and turn the
result rows into dataclasses. They open no transaction of their own: each SQL function is atomic,
and the caller's transaction (the request, or ``acting_as``) decides when it commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from psycopg.types.json import Jsonb


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


def batch_ingest(*, rows: Sequence[Mapping], source: str, batch_id: str) -> IngestResult:
    """Store raw JSON rows through ``intake.f_ingest_json(jsonb[], text, text)``.

    Sends the rows as one ``jsonb[]`` parameter in a single call. Rows without a usable email are
    skipped and reported; an email loaded in the last 30 days (or earlier in the same call) is
    stored as ``duplicate``; the rest as ``pending``. Raises ``django.db.DataError`` (22023) for a
    blank source or batch id.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT load_id, status, message FROM intake.f_ingest_json(%s::jsonb[], %s, %s)",
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
