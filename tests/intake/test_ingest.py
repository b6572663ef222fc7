"""intake.f_ingest_json through intake.services.batch_ingest (run as the app role)."""

import threading

import psycopg
import pytest
from django.db import DataError, connection, transaction
from psycopg.types.json import Jsonb

from intake.models import AuditLog, RawLoad
from intake.services import batch_ingest
from tests.intake.helpers import age_loads


def test_rows_without_usable_email_are_skipped_with_position(db):
    """Non-objects and rows with a missing, blank, non-string or @-less email are reported."""
    rows = [
        {"email": "ok@example.com"},
        ["not", "an", "object"],
        {"name": "no email"},
        {"email": "   "},
        {"email": 42},
        {"email": "no-at-sign"},
        {"email": None},
    ]
    result = batch_ingest(rows=rows, source="apollo", batch_id="skip-1")

    assert [r.status for r in result.rows] == ["pending"] + ["skipped"] * 6
    skipped = result.rows[1:]
    assert all(r.load_id is None for r in skipped)
    assert [r.message for r in skipped] == [
        "row 2 skipped: row is not a JSON object",
        "row 3 skipped: email is missing",
        "row 4 skipped: email is blank",
        "row 5 skipped: email is not a string",
        "row 6 skipped: email has no @",
        "row 7 skipped: email is missing",
    ]
    assert RawLoad.objects.filter(batch_id="skip-1").count() == 1


def test_duplicate_within_the_same_call_is_marked(db):
    """A second row with the same email (any case, padded) in one call is a duplicate."""
    result = batch_ingest(
        rows=[{"email": "Ann@Example.com"}, {"email": " ann@example.COM "}],
        source="apollo",
        batch_id="dup-call",
    )
    first, second = result.rows
    assert (first.status, second.status) == ("pending", "duplicate")
    assert first.load_id < second.load_id
    load = RawLoad.objects.get(load_id=second.load_id)
    assert load.status == "duplicate"
    assert load.metadata["duplicate_of"] == first.load_id


def test_duplicate_within_30_days_is_marked(db):
    """An email loaded in an earlier call within 30 days is stored as a duplicate of that load."""
    first = batch_ingest(rows=[{"email": "bo@example.com"}], source="apify", batch_id="d-1")
    again = batch_ingest(rows=[{"email": "BO@example.com"}], source="apify", batch_id="d-2")
    assert again.rows[0].status == "duplicate"
    load = RawLoad.objects.get(load_id=again.rows[0].load_id)
    assert load.metadata["duplicate_of"] == first.rows[0].load_id


def test_same_batch_twice_adds_no_pending_rows(db):
    """Ingesting the same batch again stores only duplicates."""
    rows = [{"email": f"p{i}@example.com", "name": f"P {i}"} for i in range(3)]
    batch_ingest(rows=rows, source="apollo", batch_id="twice")
    pending_before = RawLoad.objects.filter(status="pending").count()

    second = batch_ingest(rows=rows, source="apollo", batch_id="twice")

    assert {r.status for r in second.rows} == {"duplicate"}
    assert RawLoad.objects.filter(status="pending").count() == pending_before


def test_summary_row_counts_match(db):
    """The summary row counts pending (inserted), duplicate and skipped rows of the call."""
    rows = [
        {"email": "s1@example.com"},
        {"email": "s2@example.com"},
        {"email": "s1@example.com"},
        {"email": ""},
        "just a string",
    ]
    result = batch_ingest(rows=rows, source="manual", batch_id="sum")
    assert result.summary == "inserted=2 duplicate=1 skipped=2"
    assert (result.inserted, result.duplicate, result.skipped) == (2, 1, 2)
    assert len(result.rows) == len(rows)


def test_summary_row_comes_last_with_null_load_id(db):
    """The function returns one row per input in input order, then the summary row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT load_id, status, message FROM intake.f_ingest_json(%s::jsonb[], 'x', 'order')",
            [[Jsonb({"email": "o1@example.com"}), Jsonb({}), Jsonb({"email": "o2@example.com"})]],
        )
        rows = cursor.fetchall()
    assert [r[1] for r in rows] == ["pending", "skipped", "pending", "summary"]
    assert rows[-1][0] is None
    assert rows[0][0] < rows[2][0]


def test_audit_log_records_the_batch(db):
    """Each call writes one batch_ingested audit row with the counts and the source."""
    batch_ingest(
        rows=[{"email": "a1@example.com"}, {"email": "a1@example.com"}, {}],
        source="apollo",
        batch_id="audit-1",
    )
    entry = AuditLog.objects.get(action="batch_ingested", batch_id="audit-1")
    assert entry.record_count == 2
    assert entry.details["source"] == "apollo"
    assert (entry.details["pending"], entry.details["duplicate"], entry.details["skipped"]) == (
        1,
        1,
        1,
    )


@pytest.mark.parametrize(("source", "batch_id"), [("", "b"), ("  ", "b"), ("s", ""), ("s", None)])
def test_blank_source_or_batch_is_refused(db, source, batch_id):
    """A blank p_source or p_batch_id raises 22023 and stores nothing."""
    before = RawLoad.objects.count()
    with pytest.raises(DataError) as excinfo, transaction.atomic():
        batch_ingest(rows=[{"email": "x@example.com"}], source=source, batch_id=batch_id)
    assert excinfo.value.__cause__.sqlstate == "22023"
    assert RawLoad.objects.count() == before


@pytest.mark.owner
def test_load_older_than_30_days_is_not_a_duplicate(app_role):
    """An email last loaded more than 30 days ago is pending again."""
    first = batch_ingest(rows=[{"email": "old@example.com"}], source="apollo", batch_id="old-1")
    age_loads([first.rows[0].load_id], days=31)

    again = batch_ingest(rows=[{"email": "old@example.com"}], source="apollo", batch_id="old-2")
    assert again.rows[0].status == "pending"


@pytest.mark.owner
def test_concurrent_identical_ingests_do_not_both_escape_the_duplicate_check(db):
    """Two identical ingests at the same moment: the second waits, then stores a duplicate."""
    params = connection.settings_dict
    conninfo = {"host": params["HOST"], "dbname": params["NAME"], "user": params["USER"]}
    batch = "concurrent-ingest"
    sql = "SELECT status FROM intake.f_ingest_json(%s::jsonb[], 'apollo', %s) ORDER BY 1"
    rows = [Jsonb({"email": "race@example.com"})]
    results = {}

    def second_caller():
        with psycopg.connect(**conninfo) as conn:
            conn.execute("SET ROLE outreach_app")
            results["second"] = [r[0] for r in conn.execute(sql, [rows, batch]).fetchall()]

    try:
        with psycopg.connect(**conninfo) as first:
            first.execute("SET ROLE outreach_app")
            results["first"] = [r[0] for r in first.execute(sql, [rows, batch]).fetchall()]
            thread = threading.Thread(target=second_caller)
            thread.start()
            thread.join(timeout=1)
            assert thread.is_alive(), "the second ingest should wait for the first to commit"
            first.commit()
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert results["first"] == ["pending", "summary"]
        assert results["second"] == ["duplicate", "summary"]
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as cleanup:
            cleanup.execute("DELETE FROM intake.raw_loads WHERE batch_id = %s", [batch])
            cleanup.execute("DELETE FROM intake.audit_log WHERE batch_id = %s", [batch])
