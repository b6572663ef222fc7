"""Typed wrappers of the intake SQL functions: the only write path into ``intake.raw_loads``,
``vault.contacts`` and the promotion of ``intake.company_raw_intake``.

The rules live in the SECURITY DEFINER functions of ``intake/migrations/sql/0002_*.sql`` (RLS
lets only their owners write); these wrappers just call them on ``django.db.connection``, which a
request has already dropped to the runtime role (``SET LOCAL ROLE outreach_app``), and turn the
result rows into dataclasses. They open no transaction of their own: each SQL function is atomic,
and the caller's transaction (the request, or ``acting_as``) decides when it commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
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
