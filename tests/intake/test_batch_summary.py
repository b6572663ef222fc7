"""intake.batch_summary: kept equal to the raw loads it summarises by the raw_loads triggers."""

import pytest
from django.db.models import Count, Max, Min, Q

from intake import selectors
from intake.models import BatchSummary, RawLoad
from intake.services import batch_ingest, loads_promote

ROWS = [
    {"email": "ann@acme.example", "name": "Ann Lee", "website": "https://acme.example"},
    {"email": "bo@acme.example", "name": "Bo Chen"},
    {"email": "ann@acme.example", "name": "Ann again"},
]


def from_loads():
    """The batch figures computed the slow way, straight from intake.raw_loads."""
    rows = (
        RawLoad.objects.order_by()
        .values("batch_id")
        .annotate(
            total=Count("load_id"),
            n_pending=Count("load_id", filter=Q(status="pending")),
            n_promoted=Count("load_id", filter=Q(status="promoted")),
            n_duplicate=Count("load_id", filter=Q(status="duplicate")),
            n_failed=Count("load_id", filter=Q(status="failed")),
            first_created=Min("created_at"),
            last_created=Max("created_at"),
        )
    )
    return {r["batch_id"]: r for r in rows}


def from_summary():
    keys = ("total", "n_pending", "n_promoted", "n_duplicate", "n_failed")
    keys += ("first_created", "last_created")
    return {
        r["batch_id"]: {"batch_id": r["batch_id"], **{k: r[k] for k in keys}}
        for r in selectors.batch_list()
    }


def test_summary_matches_loads_after_ingest_and_promote(db):
    """After ingests (two sources in one batch) and a promotion, the page figures equal a
    GROUP BY over the loads."""
    batch_ingest(rows=ROWS + [{"email": "broken"}], source="apollo", batch_id="s-1")
    batch_ingest(rows=[{"email": "cy@corp.example"}], source="apify", batch_id="s-1")
    batch_ingest(rows=[{"email": "bo@acme.example"}], source="manual", batch_id="s-2")
    assert from_summary() == from_loads()
    loads_promote()
    assert from_summary() == from_loads()
    row = next(r for r in selectors.batch_list() if r["batch_id"] == "s-1")
    assert row["sources"] == "apify, apollo"
    assert row["n_promoted"] == 3


def test_summary_source_filter_counts_only_that_source(db):
    """Filtering the batches by source counts only that source's loads of a mixed batch."""
    batch_ingest(rows=ROWS, source="apollo", batch_id="m-1")
    batch_ingest(rows=[{"email": "cy@corp.example"}], source="apify", batch_id="m-1")
    row = selectors.batch_list().filter(source="apify").get()
    assert (row["batch_id"], row["total"], row["sources"]) == ("m-1", 1, "apify")


@pytest.mark.owner
def test_deleting_every_load_of_a_batch_removes_its_summary_row(db):
    """Deleting all of a batch's loads (owner-only cleanup) leaves no empty batch behind, while
    deleting some of them keeps the row with the remaining figures."""
    batch_ingest(rows=ROWS, source="apollo", batch_id="gone-1")
    batch_ingest(rows=[{"email": "cy@corp.example"}], source="apollo", batch_id="kept-1")
    batch_ingest(rows=[{"email": "di@corp.example"}], source="apollo", batch_id="kept-1")
    RawLoad.objects.filter(batch_id="gone-1").delete()
    RawLoad.objects.filter(raw_data__email="di@corp.example").delete()
    assert not BatchSummary.objects.filter(batch_id="gone-1").exists()
    counts = ("total", "n_pending", "n_promoted", "n_duplicate", "n_failed")
    # first/last created stay as they were: a deletion cannot shrink a min/max without a rescan.
    assert {b: [r[k] for k in counts] for b, r in from_summary().items()} == {
        b: [r[k] for k in counts] for b, r in from_loads().items()
    }
    assert from_summary()["kept-1"]["total"] == 1


@pytest.mark.owner
def test_truncating_raw_loads_empties_the_summary(db):
    """TRUNCATE fires no delete trigger; a truncate trigger keeps the summary equal anyway."""
    from django.db import connection

    batch_ingest(rows=ROWS, source="apollo", batch_id="t-1")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE intake.raw_loads CASCADE")
    assert not BatchSummary.objects.exists()


@pytest.mark.owner
def test_truncating_loads_and_summary_in_one_statement_works(db):
    """TRUNCATE of both tables at once (the browser tests' cleanup) is not refused by the
    truncate trigger."""
    from django.db import connection

    batch_ingest(rows=ROWS, source="apollo", batch_id="t-2")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE intake.raw_loads, intake.batch_summary CASCADE")
    assert not BatchSummary.objects.exists()
