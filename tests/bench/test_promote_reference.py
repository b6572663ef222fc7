"""B11's reference (bench.ops.ingest.promote_without_history): the same promotion with the
history triggers off, inside a transaction that is rolled back, so history stays complete."""

import pytest
from django.db import connection, transaction

from bench.ops.ingest import HISTORY_TRIGGERS_SQL, promote_without_history
from intake.services import batch_ingest


def _enabled_history_triggers():
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_TRIGGERS_SQL)
        return cursor.fetchall()


@pytest.mark.owner
def test_reference_promotes_without_history_and_the_rollback_restores_the_triggers(db):
    """The reference run creates the person but writes no history row; after its rollback
    every history trigger is enabled again and nothing it wrote is left."""
    before = _enabled_history_triggers()
    assert len(before) >= 12  # companies, slots, people, verifications, campaigns, signals…
    result = batch_ingest(
        rows=[{"email": "ref.person@bluebird.example", "full_name": "Ref Person"}],
        source="apollo",
        batch_id="b11-reference",
    )
    ids = [row.load_id for row in result.rows]

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM people.history")
            history_before = cursor.fetchone()[0]
            seconds = promote_without_history(cursor, ids)
            cursor.execute(
                "SELECT count(*) FROM people.contact WHERE email = 'ref.person@bluebird.example'"
            )
            assert cursor.fetchone()[0] == 1
            cursor.execute("SELECT count(*) FROM people.history")
            assert cursor.fetchone()[0] == history_before
        assert seconds > 0
        raise Rollback
    assert _enabled_history_triggers() == before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM people.contact WHERE email = 'ref.person@bluebird.example'"
        )
        assert cursor.fetchone()[0] == 0
