"""intake.f_ingest_json v4 (intake 0080): plans that stay right whatever the statistics say.

The 30-day duplicate lookup must be one probe of the e-mail index per distinct e-mail. v3 let
the planner turn the join around: once ``intake.raw_loads`` had been analysed empty it walked
every recent load for every e-mail of the chunk (2.9 s for the second 2,000-row chunk of an
upload, growing with each chunk), and from the 6th call in a session a generic plan estimated
the chunk at 10 rows. Scan counts come from ``pg_stat_get_xact_numscans`` (this transaction's
own counters), so the tests read what the executor did, not a plan text.
"""

import pytest
from django.db import connection

from intake import services


def _scans(*relations: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r, pg_catalog.pg_stat_get_xact_numscans(r::regclass) "
            "FROM unnest(%s::text[]) AS r",
            [list(relations)],
        )
        return dict(cursor.fetchall())


RELATIONS = (
    "intake.raw_loads",
    "intake.raw_loads_email_norm_idx",
    "intake.idx_raw_loads_created_at",
    "intake.raw_loads_pkey",
)


def _rows(start: int, count: int) -> list[dict]:
    return [
        {"email": f"plan{n}@example.com", "title": "Head of HR", "company": f"Plan {n % 97}"}
        for n in range(start, start + count)
    ]


@pytest.mark.owner
def test_duplicate_lookup_probes_the_email_index_after_an_empty_analyze(db):
    """With raw_loads analysed empty over pages of dead rows (as after a rolled-back or deleted
    upload) and then filled by an earlier chunk, the next chunk's duplicate lookup uses the
    e-mail index once per distinct e-mail and never scans the table, the created_at index or
    the primary key (v3 looped over every recent load per e-mail)."""
    services.batch_ingest(rows=_rows(90000, 3000), source="plan", batch_id="plan-0")
    with connection.cursor() as cursor:
        # rows this transaction deleted count as dead for ANALYZE: reltuples 0, relpages > 0
        cursor.execute("DELETE FROM intake.raw_loads")
        cursor.execute("ANALYZE intake.raw_loads")
        cursor.execute(
            "SELECT reltuples, relpages FROM pg_catalog.pg_class "
            "WHERE oid = 'intake.raw_loads'::regclass"
        )
        reltuples, relpages = cursor.fetchone()
    assert reltuples == 0 and relpages > 0
    services.batch_ingest(rows=_rows(0, 3000), source="plan", batch_id="plan-1")
    before = _scans(*RELATIONS)

    # 400 e-mails of which 200 are repeats of the first chunk, 200 new.
    result = services.batch_ingest(rows=_rows(2800, 400), source="plan", batch_id="plan-2")

    after = _scans(*RELATIONS)
    used = {name: after[name] - before[name] for name in RELATIONS}
    assert (result.inserted, result.duplicate) == (200, 200)
    assert used["intake.raw_loads_email_norm_idx"] == 400
    assert used["intake.raw_loads"] == 0, used
    assert used["intake.idx_raw_loads_created_at"] == 0, used
    assert used["intake.raw_loads_pkey"] == 0, used


def test_every_call_is_planned_for_its_own_rows(db):
    """The function carries plan_cache_mode = force_custom_plan, so the 6th and later calls of
    a streamed upload are planned with the chunk's real size, and they still decide exactly:
    ten chunks in one session, each half repeats of the chunk before."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proconfig FROM pg_catalog.pg_proc "
            "WHERE oid = 'intake.f_ingest_json(jsonb[], text, text)'::regprocedure"
        )
        assert "plan_cache_mode=force_custom_plan" in cursor.fetchone()[0]
    totals = [
        services.batch_ingest(rows=_rows(n * 100, 200), source="plan", batch_id=f"plan-c{n}")
        for n in range(10)
    ]
    assert [t.inserted for t in totals] == [200] + [100] * 9
    assert [t.duplicate for t in totals] == [0] + [100] * 9


def test_load_ids_follow_input_order_within_a_call(db):
    """Load ids are allocated in input order (nextval after the sort), so a repeated e-mail
    names the earlier row of the same call, whatever order the rows' e-mails sort in."""
    rows = [{"email": e} for e in ("zed@x.example", "amy@x.example", "ZED@x.example", "bo@x.ex")]
    result = services.batch_ingest(rows=rows, source="plan", batch_id="plan-order")
    ids = [r.load_id for r in result.rows]
    assert ids == sorted(ids)
    assert [r.status for r in result.rows] == ["pending", "pending", "duplicate", "pending"]
    assert result.rows[2].message == (
        f"row 3: zed@x.example is a duplicate of load {ids[0]} (earlier in the same batch)"
    )
