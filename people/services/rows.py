"""SQL plumbing and errors shared by the people services (raw cursors, jsonb images, locks)."""

from __future__ import annotations

import json

from django.db import connection


class PeopleError(Exception):
    """A business rule refused the action; the message is shown to the user as is."""


class AddressNotCurrent(PeopleError):
    """A verification result names an address that is not the person's current e-mail
    (refused by the database: ``people.verification.ADDRESS_NOT_CURRENT``)."""


class MergeRefused(PeopleError):
    pass


class UndoRefused(PeopleError):
    pass


class PairStateError(PeopleError):
    pass


def _json(value):
    """jsonb arrives as text from a raw cursor (Django leaves decoding to JSONField)."""
    return json.loads(value) if isinstance(value, str) else value


def _fetch_all(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch_one(sql: str, params=()):
    rows = _fetch_all(sql, params)
    return rows[0] if rows else None


def _q(table: str) -> str:
    """Quote ``schema.table`` for SQL ("bit" is a reserved word)."""
    return ".".join(f'"{part}"' for part in table.split("."))


def _columns(table: str) -> list[str]:
    """Insertable columns of ``table`` (generated columns excluded)."""
    rows = _fetch_all(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [_q(table)],
    )
    return [r[0] for r in rows]


def _insert_row(table: str, row: dict) -> None:
    """Re-insert a row exactly as recorded by ``to_jsonb`` (same primary key and values)."""
    cols = ", ".join(f'"{c}"' for c in _columns(table))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(table)} ({cols}) SELECT {cols} "
            f"FROM jsonb_populate_record(NULL::{_q(table)}, %s::jsonb)",
            [json.dumps(row)],
        )


def _set_from_json(table: str, pk_col: str, pk, row: dict, fields) -> None:
    """Set ``fields`` of one row to the values recorded in ``row`` (typed by the table)."""
    cols = ", ".join(f'"{f}"' for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_q(table)} SET ({cols}) = (SELECT {cols} FROM "
            f"jsonb_populate_record(NULL::{_q(table)}, %s::jsonb)) WHERE {pk_col} = %s",
            [json.dumps(row), pk],
        )


def _live_record(contact_id: int) -> int | None:
    """Follow ``merged_into`` from ``contact_id`` to the live record it ended in."""
    row = _fetch_one(
        """
        WITH RECURSIVE chain AS (
            SELECT contact_id, merged_into_id, 1 AS depth FROM people.contact
            WHERE contact_id = %s
            UNION ALL
            SELECT c.contact_id, c.merged_into_id, chain.depth + 1
            FROM people.contact c JOIN chain ON c.contact_id = chain.merged_into_id
            WHERE chain.depth < 50
        )
        SELECT contact_id FROM chain WHERE merged_into_id IS NULL LIMIT 1
        """,
        [contact_id],
    )
    return row[0] if row else None
