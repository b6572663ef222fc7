"""Concurrent slot writes keep the trigger-kept slot coverage exact (issue 18).

Two threads, each with its own PostgreSQL connection logged in as the app role, fill different
slots of the same companies at once: the first fills its slot and holds its transaction open
past a barrier while the second writes (and waits on the first's locks); then both commit. The
statement triggers re-synchronise each touched company after locking its ``company.slot_mask``
row, so the second reads the first's committed fill and the summary must equal the direct
aggregate after every round. Without the lock (checked by hand: the FOR UPDATE replaced by a
no-op) the second writer fails with a unique violation on slot_mask. Rows are committed and
removed by the owner afterwards.
"""

import threading
import time

import psycopg
import pytest
from django.db import connection

from tests.db.test_summaries import COVERAGE_DIRECT

ROUNDS = 5


def _app_login():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"],
        port=settings.get("PORT") or None,
        user="outreach_app",
    )


def _rows(conn, sql, params=None):
    return sorted(tuple(r) for r in conn.execute(sql, params).fetchall())


@pytest.fixture
def world(committed_db, django_db_blocker):
    """ROUNDS committed companies with three empty slots and two active people each."""
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        owner = psycopg.connect(
            dbname=settings["NAME"],
            host=settings["HOST"],
            port=settings.get("PORT") or None,
            user=settings["USER"],
            autocommit=True,
        )
        ids = []
        for i in range(ROUNDS):
            (cid,) = owner.execute(
                "INSERT INTO company.company (company_name, website_url) VALUES (%s, %s)"
                " RETURNING company_id",
                [f"Race Co {i}", f"https://race{i}.example.com"],
            ).fetchone()
            owner.execute(
                "INSERT INTO company.company_slot (company_id, role_code)"
                " SELECT %s, r FROM unnest(ARRAY['CEO', 'CFO', 'HR']) r",
                [cid],
            )
            people = [
                owner.execute(
                    "INSERT INTO people.contact (full_name, email) VALUES (%s, %s)"
                    " RETURNING contact_id",
                    [f"Racer {i}-{k}", f"racer{i}-{k}@race{i}.example.com"],
                ).fetchone()[0]
                for k in range(2)
            ]
            ids.append((cid, people))
        try:
            yield owner, ids
        finally:
            for cid, people in ids:
                owner.execute("DELETE FROM company.company_slot WHERE company_id = %s", [cid])
                owner.execute("DELETE FROM company.history WHERE company_id = %s", [cid])
                owner.execute("DELETE FROM company.company WHERE company_id = %s", [cid])
                owner.execute("DELETE FROM people.history WHERE contact_id = ANY(%s)", [people])
                owner.execute("DELETE FROM people.contact WHERE contact_id = ANY(%s)", [people])
            owner.close()


def _fill(company_id, role, contact_id, barrier, first):
    with _app_login() as conn, conn.transaction():
        conn.execute("SELECT public.set_actor('race')")
        if not first:
            barrier.wait()
        conn.execute(
            "UPDATE company.company_slot SET contact_id = %s"
            " WHERE company_id = %s AND role_code = %s",
            [contact_id, company_id, role],
        )
        if first:
            barrier.wait()
            time.sleep(0.3)  # the other writer is now blocked on this transaction


def test_concurrent_fills_of_one_company_keep_coverage_exact(world):
    """After two concurrent fills of one company's slots, the summary equals the aggregate."""
    owner, ids = world
    for cid, (p1, p2) in ids:
        barrier = threading.Barrier(2, timeout=10)
        errors = []

        def run(*args, errors=errors):
            try:
                _fill(*args)
            except Exception as exc:  # noqa: BLE001 — reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=run, args=(cid, "CEO", p1, barrier, True)),
            threading.Thread(target=run, args=(cid, "CFO", p2, barrier, False)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        assert errors == []
        assert _rows(
            owner, "SELECT present, filled FROM company.slot_mask WHERE company_id = %s", [cid]
        ) == [(7, 3)]
        summary = "SELECT present, filled, companies FROM company.slot_coverage"
        assert _rows(owner, summary) == _rows(owner, COVERAGE_DIRECT)
