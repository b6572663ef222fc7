"""intake.f_ingest_json v3 (intake 0050): per-row failure and batch ids the pages can show."""

import random
import string

import pytest
from django.db import DataError, connection, transaction

from intake.models import BatchSummary, RawLoad
from intake.services import batch_ingest, loads_promote
from people.models import Contact


def _junk(n: int) -> str:
    """n random letters and digits: incompressible, so a btree entry really is n bytes."""
    rng = random.Random(n)
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def test_oversized_value_fails_its_row_and_the_rest_ingests_and_promotes(db):
    """A 3 KB company name fails only its own load (with the reason); the rest promotes."""
    rows = [
        {"email": "ok1@acme.example", "full_name": "Ada One", "company": "Acme"},
        {"email": "big@acme.example", "full_name": "Big Value", "company": _junk(3000)},
        {"email": "ok2@acme.example", "full_name": "Bo Two", "title": "CFO", "company": "Acme"},
    ]
    result = batch_ingest(rows=rows, source="apollo", batch_id="oversized-1")
    assert [r.status for r in result.rows] == ["pending", "failed", "pending"]
    assert result.rows[1].message == (
        'row 2 failed: value of "company" is 3000 characters (limit 1000 characters, 2000 bytes)'
    )
    assert result.summary == "inserted=2 duplicate=0 skipped=0 failed=1"
    failed = RawLoad.objects.get(load_id=result.rows[1].load_id)
    assert failed.status == "failed"
    assert failed.metadata["failure_reason"].startswith('value of "company"')
    assert BatchSummary.objects.get(batch_id="oversized-1").loads_failed == 1

    promoted = loads_promote()
    assert promoted.promoted_count == 2 and promoted.failed_count == 0
    assert set(Contact.objects.values_list("email", flat=True)) == {
        "ok1@acme.example",
        "ok2@acme.example",
    }
    assert loads_promote().promoted_count == 0  # nothing pending is left blocking later runs


def test_oversized_email_fails_its_row_without_index_overflow(db):
    """A 3 KB e-mail (over every btree entry limit) fails its row instead of the whole ingest."""
    big = _junk(3000) + "@acme.example"
    result = batch_ingest(
        rows=[{"email": big}, {"email": "fine@acme.example"}], source="apollo", batch_id="big-mail"
    )
    assert [r.status for r in result.rows] == ["failed", "pending"]
    assert result.rows[0].message == "row 1 failed: email is 3013 characters (limit 254)"
    again = batch_ingest(rows=[{"email": big}], source="apollo", batch_id="big-mail-2")
    assert [r.status for r in again.rows] == ["failed"]  # failed rows are no duplicates


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"email": "a\tb@acme.example"}, "email contains control characters"),
        ({"email": "n@acme.example", "_norm": "x"}, 'reserved key "_norm" is not an object'),
        (
            {"email": "n@acme.example", "_norm": {"full_name": _junk(1200)}},
            'value of "_norm.full_name" is 1200 characters',
        ),
        ({"email": "n@acme.example", "title": "é" * 1001}, 'value of "title" is 1001 characters'),
    ],
)
def test_malformed_row_fails_alone_with_its_reason(db, row, reason):
    """A malformed row is stored failed with its reason; its neighbour is pending."""
    result = batch_ingest(rows=[row, {"email": "next@acme.example"}], source="s", batch_id="m-1")
    assert [r.status for r in result.rows] == ["failed", "pending"]
    assert reason in result.rows[0].message


def test_long_free_text_is_not_a_failure(db):
    """Long values outside the field vocabulary (a bio, custom fields) are kept as usual."""
    result = batch_ingest(
        rows=[{"email": "bio@acme.example", "about": _junk(5000)}], source="s", batch_id="bio"
    )
    assert [r.status for r in result.rows] == ["pending"]


@pytest.mark.parametrize("batch_id", ["line\nbreak", "tab\there", "bell\x07", "del\x7f", "\x1f"])
def test_control_characters_in_batch_id_are_refused(db, batch_id):
    """A batch id with a control character (U+0001-U+001F, U+007F) is refused, nothing stored."""
    with pytest.raises(DataError) as err, transaction.atomic():
        batch_ingest(rows=[{"email": "x@acme.example"}], source="s", batch_id=batch_id)
    assert err.value.__cause__.sqlstate == "22023"
    assert "p_batch_id must not contain control characters (U+0000-U+001F, U+007F)" in str(
        err.value
    )
    assert not RawLoad.objects.exists()


def test_oversized_batch_id_and_source_are_refused(db):
    """A batch id over 500 or a source over 100 characters is refused with a clear message."""
    with pytest.raises(DataError, match="p_batch_id must be at most 500"), transaction.atomic():
        batch_ingest(rows=[], source="s", batch_id="b" * 501)
    with pytest.raises(DataError, match="p_source must be at most 100"), transaction.atomic():
        batch_ingest(rows=[], source="s" * 101, batch_id="b")


def test_junk_urls_from_a_vendor_do_not_block_promotion(db):
    """Promotion stores junk vendor URLs as NULL (no domain) instead of failing on the CHECKs."""
    from companies.models import Company

    rows = [
        {
            "email": "x@bigco.example",
            "company": "X Co",
            "website": "N/A",
            "linkedin_url": "javascript:alert(1)",
        },
        {"email": "y@other.example", "company": "Y Co", "website": "mailto:a@other.example"},
        {"email": "z@zed.example", "company": "Zed", "website": "www.zed.example"},
    ]
    batch_ingest(rows=rows, source="s", batch_id="junk-urls")
    assert loads_promote().promoted_count == 3
    sites = dict(Company.objects.values_list("company_name", "website_url"))
    assert sites["X Co"] is None and sites["Y Co"] is None
    assert sites["Zed"] == "https://www.zed.example"
    assert Contact.objects.get(email="x@bigco.example").linkedin_url is None


@pytest.mark.parametrize(
    ("extra", "label"),
    [
        # a number whose text is 1,202 characters though it is stored in ~30 bytes
        ('"_norm": {"full_name": 1e-1200}', '"_norm.full_name"'),
        # an array of 200 control characters: ~1 KB stored, ~2 KB as text
        ('"_norm": {"title": [' + ", ".join(['"\\u0001"'] * 200) + "]}", '"_norm.title"'),
        ('"title": 1e1100', '"title"'),
        ('"company": {"name": "' + "\\u0002" * 300 + '"}', '"company"'),
    ],
    ids=["norm-tiny-number", "norm-array-of-escapes", "top-level-huge-number", "top-level-object"],
)
def test_values_whose_text_outgrows_their_size_still_fail(db, extra, label):
    """v4 skips the per-field length check only for rows where no value can be too long; a
    number or container whose text form is over 1,000 characters while its stored size is
    small still fails its row with the field named (the text is what reaches the columns).
    The rows go in as JSON text: Python has no float for 1e-1200."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, message FROM intake.f_ingest_json("
            "ARRAY[%s::jsonb], 'apollo', 'text-outgrows')",
            ['{"email": "tiny@acme.example", ' + extra + "}"],
        )
        (status, message), _summary = cursor.fetchall()
    assert status == "failed", message
    assert f"failed: value of {label} is " in message


def test_wide_vendor_rows_without_a_long_value_are_pending(db):
    """A wide row (1.5 KB of short fields and a full "_norm" of strings) is not a failure."""
    row = {f"custom_{n}": f"value {n} " * 3 for n in range(40)}
    row |= {"email": "wide@acme.example", "title": "Head of HR", "company": "Acme"}
    row["_norm"] = {"email": "wide@acme.example", "full_name": "Wide Row", "employee_count": "51"}
    result = batch_ingest(rows=[row], source="apollo", batch_id="wide")
    assert [r.status for r in result.rows] == ["pending"]
