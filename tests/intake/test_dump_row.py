"""intake.services.ingest.dump_row: orjson where it writes what json.dumps writes, json.dumps
everywhere else, so the database receives the same JSON either way."""

import json
import math

import pytest
from django.db import DataError
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.services import batch_ingest
from intake.services.ingest import dump_row

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def _same(a, b) -> bool:
    """Equal as JSON values, NaN equal to NaN (json.loads reads json.dumps' NaN back)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b and type(a) is type(b)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_dump_row_reads_back_as_json_dumps_does(row):
    """Whatever the row holds (huge ints, NaN, lone surrogates, nesting), the text read back is
    the value json.dumps' text reads back as."""
    expected = json.loads(json.dumps(row))
    assert _same(json.loads(dump_row(row)), expected)


@pytest.mark.parametrize(
    "row",
    [
        {"email": "a@b.example", "n": float("nan")},
        {"email": "a@b.example", "_norm": {"score": float("inf")}},
        {"email": "a@b.example", "big": 10**30},
        {"email": "a@b.example", "s": "\ud800"},
        {"email": "a@b.example", 7: "int key"},
    ],
    ids=["nan", "nested-infinity", "int-over-64-bits", "lone-surrogate", "int-key"],
)
def test_rows_orjson_would_write_differently_go_through_json_dumps(row):
    """NaN/Infinity stay NaN/Infinity (not null), huge ints stay exact, and the others are
    written by json.dumps as before."""
    assert dump_row(row) == json.dumps(row)


def test_non_finite_number_is_still_refused_by_the_database(db):
    """A NaN in a row is refused by the database as before (orjson alone would store null)."""
    with pytest.raises(DataError):
        batch_ingest(
            rows=[{"email": "nan@x.example", "score": float("nan")}], source="t", batch_id="nan"
        )
