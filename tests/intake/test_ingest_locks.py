"""intake.f_ingest_json v2: a streamed upload holds a bounded number of advisory locks."""

from django.db import connection

from intake import services


def _advisory_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_locks "
            "WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_streamed_ingest_holds_at_most_one_lock_per_bucket(db):
    """Ingesting 3,000 distinct emails in one transaction keeps ≤ 1,024 advisory locks (v1 kept
    one per email until commit, so a 100,000-row upload ran out of shared memory)."""
    rows = ({"email": f"lock{n}@example.com"} for n in range(3000))
    totals = services.batch_ingest_stream(
        rows=rows, source="test", batch_id="locks", chunk_size=1000
    )
    assert (totals.inserted, totals.chunks) == (3000, 3)
    assert 0 < _advisory_locks() <= 1024


def test_duplicates_still_flagged_across_chunks(db):
    """Bucketed locks leave the duplicate rule exact: an email repeated in a later chunk of the
    same upload is a duplicate of the first load."""
    rows = [{"email": f"dup{n % 1500}@example.com"} for n in range(3000)]
    totals = services.batch_ingest_stream(
        rows=rows, source="test", batch_id="dups", chunk_size=1000
    )
    assert (totals.inserted, totals.duplicate) == (1500, 1500)
