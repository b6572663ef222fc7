"""Typed wrappers of the intake ingest SQL: the only write path into ``intake.raw_loads``.

The rules live in the SECURITY DEFINER functions of ``intake/migrations/sql/0002_*.sql`` (RLS
lets only their owners write); these wrappers just call them on ``django.db.connection``, which a
request has already dropped to the runtime role (``SET LOCAL ROLE outreach_app``), and turn the
result rows into dataclasses. They open no transaction of their own: each SQL function is atomic,
and the caller's transaction (the request, or ``acting_as``) decides when it commits.
"""

from __future__ import annotations

import json
import math
import select
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
import psycopg
from django.db import connection, transaction
from psycopg.types.json import Jsonb

from intake.parsing import ParseError


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


def _has_non_finite(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_non_finite(v) for v in value)
    return False


def dump_row(row) -> bytes | str:
    """One row as JSON text for the ``jsonb[]`` parameter: orjson (a third of the Python side of
    a 100k-row Apollo ingest went to ``json.dumps``), with ``json.dumps`` wherever orjson would
    differ, so the database receives what it always did: integers beyond 64 bits, non-string
    keys and lone surrogates (orjson refuses them), NaN and ±Infinity (orjson writes ``null``;
    ``json.dumps`` writes ``NaN``, which the database refuses instead of storing a null).
    """
    try:
        text = orjson.dumps(row)
    except TypeError:
        return json.dumps(row)
    if b"null" in text and _has_non_finite(row):
        return json.dumps(row)
    return text


def _rows_as_one_array(rows: Sequence[Mapping]) -> bytes | None:
    """The rows as ONE JSON array (one orjson call), or None where a row needs ``dump_row``'s
    ``json.dumps`` fallback (orjson refuses it, or it holds NaN/±Infinity)."""
    try:
        text = orjson.dumps(rows)
    except TypeError:
        return None
    if b"null" in text and _has_non_finite(list(rows)):
        return None
    return text


# The rows travel as one jsonb array and become the function's jsonb[] in the database, in
# order: one serialisation instead of one Jsonb object and dumper call per row (a third of the
# Python side of a streamed 100k-row upload). The function receives exactly the same values.
_INGEST_ONE_ARRAY = (
    "SELECT load_id, status, message FROM intake.f_ingest_json("
    "ARRAY(SELECT t.e FROM pg_catalog.jsonb_array_elements(%b::jsonb) WITH ORDINALITY AS t(e, n)"
    " ORDER BY t.n), %s, %s)"
)
_INGEST_ROWS = "SELECT load_id, status, message FROM intake.f_ingest_json(%b, %s, %s)"


def _ingest_call(rows: Sequence[Mapping], pending_rows: bool) -> tuple[str, list]:
    """The ``f_ingest_json`` statement and parameters for ``rows`` (see :func:`batch_ingest`)."""
    one_array = _rows_as_one_array(rows)
    sql = _INGEST_ROWS if one_array is None else _INGEST_ONE_ARRAY
    if not pending_rows:
        sql = f"SELECT * FROM ({sql}) AS r WHERE r.status <> 'pending'"
    if one_array is None:
        # %b: the jsonb[] travels in binary (one array value, no quoting/escaping of the rows).
        rows_param = [Jsonb(row, dumps=dump_row) for row in rows]
    else:
        rows_param = Jsonb(one_array, dumps=bytes)
    return sql, [rows_param]


def _ingest_result(result: list[tuple]) -> IngestResult:
    summary = next(message for load_id, status, message in result if status == "summary")
    return IngestResult(
        rows=[IngestRow(*row) for row in result if row[1] != "summary"],
        summary=summary,
        counts=_parse_counts(summary),
    )


def batch_ingest(
    *, rows: Sequence[Mapping], source: str, batch_id: str, pending_rows: bool = True
) -> IngestResult:
    """Store raw JSON rows through ``intake.f_ingest_json(jsonb[], text, text)``.

    Sends the rows in a single call. Rows without a usable email are skipped and reported; an
    email loaded in the last 30 days (or earlier in the same call) is stored as ``duplicate``;
    the rest as ``pending``. ``pending_rows=False`` leaves the pending rows' report lines in the
    database (a streamed upload only keeps counts and the other rows' messages); the counts
    still cover every row. Raises ``django.db.DataError`` (22023) for a blank source or batch id.
    """
    sql, params = _ingest_call(rows, pending_rows)
    with _binary_cursor() as cursor:
        cursor.execute(sql, [*params, source, batch_id])
        return _ingest_result(cursor.fetchall())


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
        # (from the counts: a streamed chunk reports no line for its pending rows)
        self.rows += sum(result.counts.get(k, 0) for k in ("inserted", "duplicate", "skipped"))
        self.rows += result.counts.get("failed", 0)
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


def report_lines(skip_messages: Iterable[str], refused: Mapping[int, str]) -> list[str]:
    """What an upload tells the user about its rows: each refusal's reason (row number →
    message, from the rows' e-mail syntax check, ``intake.presets.prepare_row``) in row order,
    then the database's skip lines of the rows not refused (the database skips a refused row
    for a missing e-mail; the refusal says why)."""
    lines = [refused[n] for n in sorted(refused)]
    for line in skip_messages:
        number = line.removeprefix("row ").partition(" ")[0]
        if not (number.isdigit() and int(number) in refused):
            lines.append(line)
    return lines


def _chunks(rows: Iterable[Mapping], size: int) -> Iterator[list[Mapping]]:
    """``rows`` in lists of ``size`` (the last shorter); one empty list for no rows at all."""
    chunk: list[Mapping] = []
    sent = False
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk, sent = [], True
    if chunk or not sent:
        yield chunk


def _send_all(pgconn) -> None:
    """Push libpq's whole output buffer to the server now. In pipeline mode psycopg returns
    from ``execute`` once the call is queued; a 2,000-row chunk (~2.4 MB) is then still
    mostly in the client's buffer, and the database would only receive it when the next
    result is awaited, so nothing overlapped. Input is consumed while waiting, so a server
    blocked on writing its results cannot deadlock the send."""
    sock = pgconn.socket
    while pgconn.flush():
        readable, _, _ = select.select([sock], [sock], [])
        if readable:
            pgconn.consume_input()


def batch_ingest_stream(
    *,
    rows: Iterable[Mapping],
    source: str,
    batch_id: str,
    chunk_size: int = INGEST_CHUNK_ROWS,
    on_progress: Callable[[int], None] | None = None,
) -> IngestTotals:
    """Ingest an iterable of rows in chunks of ``chunk_size`` through ``f_ingest_json``.

    Only two chunks are held in memory. Runs in one savepoint: a failure in a later chunk (a
    ``ParseError`` raised by a lazy reader, a database error) rolls back the earlier chunks too,
    so an upload is stored whole or not at all. ``on_progress(rows_done)`` is called per chunk.

    The calls are pipelined one deep (psycopg pipeline mode, one session and transaction as
    before): chunk k+1 is read, normalised and sent while the database still runs chunk k, and
    chunk k's report is read after that, so the reader and the database work at the same time
    instead of in turn. A flush request after each call makes its report readable as soon as
    the call ends, not only after the next one.
    """
    totals = IngestTotals()

    def collect(cursor: psycopg.Cursor) -> None:
        totals.add(_ingest_result(cursor.fetchall()), totals.rows)
        cursor.close()
        if on_progress:
            on_progress(totals.rows)

    with transaction.atomic():
        connection.ensure_connection()
        pg = connection.connection
        with connection.wrap_database_errors, pg.pipeline():
            in_flight = None
            for chunk in _chunks(rows, chunk_size):
                sql, params = _ingest_call(chunk, pending_rows=False)
                cursor = psycopg.Cursor(pg)
                cursor.execute(sql, [*params, source, batch_id])
                pg.pgconn.send_flush_request()
                _send_all(pg.pgconn)
                if in_flight is not None:
                    collect(in_flight)
                in_flight = cursor
            collect(in_flight)
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
