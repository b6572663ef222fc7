"""The same ingest batch twice at the same moment: no duplicate escapes.

Two threads, each with its own PostgreSQL connection, ingest the same rows (same emails, same
batch id: a double-submitted upload) behind a ``threading.Barrier`` through the real service
(``intake.services.batch_ingest`` → ``intake.f_ingest_json``, as the app role with the acting
user set, like a request). Every round uses fresh emails, so the 30-day duplicate rule starts
from nothing each time.

The control is a deliberately broken copy of the same function: ``pg_get_functiondef`` of the
real one with its advisory-lock step (the ``PERFORM … pg_advisory_xact_lock …`` statement)
removed by a regex (created by the owner without SECURITY DEFINER, dropped in ``finally``). Run
the same way, both callers read "no earlier load" before either commits and both store the same
email as ``pending`` — a duplicate escapes — in at least one round, which shows the harness
really overlaps the two calls. The real function must then store every email as ``pending``
exactly once across the two calls, in every round.

Rows are committed (the two connections must see each other's) and deleted afterwards by the
owner (the batch summary trigger keeps ``intake.batch_summary`` right on DELETE).
"""

import re
import threading
import time

import pytest
from django.db import connection, transaction
from psycopg.types.json import Jsonb

from intake import services as intake
from outreach_admin.db import acting_as, set_acting_user
from tests.reliability.report import record

AREA = "ingest race"
PREFIX = "rel-ingest-race-"
ROWS = 40
ROUNDS = 20
BROKEN_ROUNDS = 20
REAL_FN = "intake.f_ingest_json(jsonb[],text,text)"
BROKEN_FN = "intake.f_ingest_json_nolock_test"
LOCK_STEP = re.compile(r"PERFORM[^;]*pg_advisory_xact_lock[^;]*;", re.DOTALL)


def rows_for(tag: str) -> list[dict]:
    return [
        {"email": f"p{i}@{tag}.example", "name": f"Person {i} {tag}", "title": "Analyst"}
        for i in range(ROWS)
    ]


def ingest_real(tag: str, actor: str) -> None:
    with acting_as(actor):
        intake.batch_ingest(rows=rows_for(tag), source="reliability", batch_id=tag)


def ingest_broken(tag: str, actor: str) -> None:
    """The lock-free copy, called by the owner with the actor set (like the real call)."""
    with transaction.atomic(), connection.cursor() as cursor:
        set_acting_user(actor)
        cursor.execute(
            f"SELECT count(*) FROM {BROKEN_FN}(%s::jsonb[], 'reliability', %s)",
            [[Jsonb(r) for r in rows_for(tag)], tag],
        )


def race(tag: str, ingest, django_db_blocker) -> None:
    """Both threads call ``ingest(tag, actor)`` at the same moment."""
    barrier = threading.Barrier(2, timeout=20)
    errors = []

    def worker(actor):
        with django_db_blocker.unblock():
            try:
                connection.ensure_connection()
                barrier.wait()
                ingest(tag, actor)
            except Exception as exc:  # noqa: BLE001 — reported by the test, not swallowed
                errors.append(repr(exc))
                barrier.abort()
            finally:
                connection.close()

    threads = [threading.Thread(target=worker, args=(a,)) for a in ("ia", "ib")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


def pending_per_email(tag: str) -> dict[str, int]:
    """How many loads of the round's batch store each email as pending (all emails listed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT metadata ->> 'email_normalized', count(*) FILTER (WHERE status = 'pending'), "
            "count(*) FROM intake.raw_loads WHERE batch_id = %s GROUP BY 1 ORDER BY 1",
            [tag],
        )
        rows = cursor.fetchall()
    assert all(total == 2 for _, _, total in rows), f"{tag}: every email stored by both calls"
    assert len(rows) == ROWS, f"{tag}: {len(rows)} emails stored"
    return {email: pending for email, pending, _ in rows}


def owner_execute(sql: str, params=None) -> list[tuple]:
    """One autocommitting statement on the test database's own connection (never the dev db)."""
    assert connection.get_autocommit() and connection.settings_dict["NAME"].startswith("test_")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def create_broken_copy() -> None:
    ((definition,),) = owner_execute(f"SELECT pg_get_functiondef('{REAL_FN}'::regprocedure)")
    broken, n = LOCK_STEP.subn("", definition)
    assert n == 1, "the advisory-lock step was not found exactly once"
    broken = broken.replace("intake.f_ingest_json(", f"{BROKEN_FN}(", 1)
    broken = broken.replace("SECURITY DEFINER", "")
    assert "pg_advisory" not in broken and BROKEN_FN in broken, "the copy is not the broken one"
    owner_execute(broken)
    owner_execute(f"REVOKE EXECUTE ON FUNCTION {BROKEN_FN}(jsonb[], text, text) FROM PUBLIC")


def cleanup() -> None:
    owner_execute(f"DROP FUNCTION IF EXISTS {BROKEN_FN}(jsonb[], text, text)")
    owner_execute("DELETE FROM intake.raw_loads WHERE batch_id LIKE %s", [f"{PREFIX}%"])
    owner_execute("DELETE FROM intake.audit_log WHERE batch_id LIKE %s", [f"{PREFIX}%"])


@pytest.fixture
def ingest_harness(committed_db, django_db_blocker):
    with django_db_blocker.unblock():
        cleanup()
        try:
            yield
        finally:
            connection.close()
            cleanup()
            left = owner_execute(
                "SELECT (SELECT count(*) FROM intake.raw_loads WHERE batch_id LIKE %s) + "
                "(SELECT count(*) FROM intake.batch_summary WHERE batch_id LIKE %s)",
                [f"{PREFIX}%", f"{PREFIX}%"],
            )
            connection.close()
            assert left == [(0,)], "the harness left loads or batch summaries behind"


def test_same_batch_twice_at_once_no_duplicate_escapes(ingest_harness, django_db_blocker):
    """Broken copy (no advisory lock): both calls store the same email as pending in at least one
    of 20 rounds. Real function, 20 rounds of the same 40-row batch twice at once: every email is
    pending exactly once (the other call stores it as duplicate)."""
    started = time.monotonic()
    with django_db_blocker.unblock():
        create_broken_copy()
        broken_seen = broken_escaped = 0
        for n in range(BROKEN_ROUNDS):
            tag = f"{PREFIX}broken{n}"
            race(tag, ingest_broken, django_db_blocker)
            escaped = sum(p > 1 for p in pending_per_email(tag).values())
            broken_seen += escaped > 0
            broken_escaped += escaped
        record(AREA, "cases tried", 2 * BROKEN_ROUNDS)
        record(AREA, "broken-variant rounds", BROKEN_ROUNDS)
        record(AREA, "broken-variant races seen", broken_seen)
        record(AREA, "broken-variant duplicates", broken_escaped)
        assert broken_seen > 0, "the lock-free copy never let a duplicate escape: shows nothing"

        escaped_rounds = escaped_total = 0
        for n in range(ROUNDS):
            tag = f"{PREFIX}real{n}"
            race(tag, ingest_real, django_db_blocker)
            pending = pending_per_email(tag)
            escaped = sum(p != 1 for p in pending.values())
            escaped_rounds += escaped > 0
            escaped_total += escaped
        record(AREA, "cases tried", 2 * ROUNDS)
        record(AREA, "rounds", ROUNDS)
        record(AREA, "duplicates escaped", escaped_total)
        record(AREA, "seconds", round(time.monotonic() - started))
        print(
            f"\ningest race: broken copy let duplicates escape in {broken_seen}/{BROKEN_ROUNDS} "
            f"rounds ({broken_escaped} emails); real function: {escaped_total} escapes in "
            f"{escaped_rounds}/{ROUNDS} rounds"
        )
        assert escaped_total == 0, f"{escaped_total} emails not pending exactly once"
