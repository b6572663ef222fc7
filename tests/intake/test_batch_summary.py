"""intake.batch_summary: kept equal to the raw loads it summarises by the raw_loads triggers."""

from django.db.models import Count, Max, Min, Q

from intake import selectors
from intake.models import RawLoad
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
