"""A raw f_ingest_json caller cannot store what the upload refuses (issue 19: the functions
refuse nesting and numbers the pages could not show, with a per-row reason; intake 0093)."""

import json

import pytest
from django.db import connection

from intake.parsing import MAX_DEPTH, MAX_INT_DIGITS


def _nest(levels: int) -> str:
    """JSON text of a value whose innermost item is at depth ``levels`` + 1 when it is a row's
    value (the row is depth 1 in intake.parsing)."""
    return "[" * (levels - 1) + "1" + "]" * (levels - 1)


def _row(email: str, key: str, value_json: str) -> str:
    return f'{{"email": {json.dumps(email)}, "{key}": {value_json}}}'


def _ingest(rows):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE outreach_app")
        cursor.execute(
            "SELECT status, message FROM intake.f_ingest_json(%s::text[]::jsonb[], 'raw', 'lim-1')",
            [rows],
        )
        result = [row for row in cursor.fetchall() if row[0] != "summary"]
        cursor.execute("RESET ROLE")
    return result


@pytest.mark.owner
@pytest.mark.parametrize(
    "value, reason",
    [
        (_nest(MAX_DEPTH), "row nests deeper than 64 levels"),
        ("9" * (MAX_INT_DIGITS + 1), "row has a number of more than 4,300 digits"),
        ("-" + "9" * (MAX_INT_DIGITS + 1), "row has a number of more than 4,300 digits"),
        ("1e4300", "row has a number of more than 4,300 digits"),
    ],
    ids=["65 deep", "4301 digits", "-4301 digits", "1e4300"],
)
def test_a_raw_row_the_pages_could_not_show_fails_alone(db, figures, value, reason):
    """Rule: such a row is stored failed with its reason; its neighbour is pending."""
    result = _ingest([_row("odd@lim.example", "v", value), '{"email": "ok@lim.example"}'])
    figures["cases tried"] += 1
    figures["boundary violations"] += result[0][0] != "failed"
    assert result[0] == ("failed", f"row 1 failed: {reason}")
    assert result[1][0] == "pending"


@pytest.mark.owner
def test_rows_at_the_limits_are_pending(db, figures):
    """Rule: nesting of exactly 64 levels and a 4,300-digit number are stored as usual (the
    upload's limits, intake.parsing), and a row with "_norm" (the app's upload, already
    checked by its parser) is not walked."""
    result = _ingest(
        [
            _row("deep@lim.example", "t", _nest(MAX_DEPTH - 1)),
            _row("long@lim.example", "n", "9" * MAX_INT_DIGITS),
            _row("norm@lim.example", "t", _nest(MAX_DEPTH))[:-1] + ', "_norm": {}}',
        ]
    )
    figures["cases tried"] += 3
    assert [status for status, _ in result] == ["pending", "pending", "pending"]
