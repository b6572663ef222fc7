"""Concurrent writes keep the member-count, readiness and renewal-count summaries exact
(issue 18), like the slot-coverage race in test_summary_race.py.

Two threads, each with its own PostgreSQL connection logged in as the app role, write the same
summary key at once: the first writes and holds its transaction open past a barrier while the
second writes (and waits on the first's locks: the summary row's upsert, or the readiness row's
FOR UPDATE in marketing.renewal_readiness_sync); then both commit. Afterwards each summary must
equal the aggregate computed from its sources (the readiness rows: the live readiness view). A
lost update (the second writer's delta or sync computed from a snapshot without the first's
write) shows up as a count of 1 or a readiness row missing the first fill. Rows are committed
and removed by the owner afterwards.
"""

import threading
import time

import psycopg
import pytest
from django.db import connection

from tests.db.test_summaries import MEMBERS_DIRECT, READINESS_COLUMNS, RENEWAL_COUNT_DIRECT
from tests.reliability.test_summary_race import _app_login, _rows

ROUNDS = 3


def _owner():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"],
        port=settings.get("PORT") or None,
        user=settings["USER"],
        autocommit=True,
    )


@pytest.fixture
def world(committed_db, django_db_blocker):
    """ROUNDS committed companies (renewal month set, three empty slots), each with two green
    active people, and one draft campaign per round."""
    with django_db_blocker.unblock():
        owner = _owner()
        rounds, people_all, campaigns = [], [], []
        for i in range(ROUNDS):
            (cid,) = owner.execute(
                "INSERT INTO company.company (company_name, website_url, renewal_month)"
                " VALUES (%s, %s, 1) RETURNING company_id",
                [f"Race More Co {i}", f"https://racemore{i}.example.com"],
            ).fetchone()
            owner.execute(
                "INSERT INTO company.company_slot (company_id, role_code)"
                " SELECT %s, r FROM unnest(ARRAY['CEO', 'CFO', 'HR']) r",
                [cid],
            )
            people = []
            for k in range(2):
                (pid,) = owner.execute(
                    "INSERT INTO people.contact (full_name, email) VALUES (%s, %s)"
                    " RETURNING contact_id",
                    [f"Racer More {i}-{k}", f"racermore{i}-{k}@racemore{i}.example.com"],
                ).fetchone()
                owner.execute(
                    "INSERT INTO people.contact_verification (contact_id, email_status)"
                    " VALUES (%s, 'green')",
                    [pid],
                )
                people.append(pid)
            (kid,) = owner.execute(
                "INSERT INTO marketing.campaign (name, type) VALUES (%s, 'renewal')"
                " RETURNING campaign_id",
                [f"Race wave {i}"],
            ).fetchone()
            rounds.append((cid, people, kid))
            people_all += people
            campaigns.append(kid)
        try:
            yield owner, rounds
        finally:
            cids = [r[0] for r in rounds]
            owner.execute(
                "DELETE FROM marketing.campaign_contact WHERE campaign_id = ANY(%s)", [campaigns]
            )
            owner.execute("DELETE FROM marketing.campaign WHERE campaign_id = ANY(%s)", [campaigns])
            owner.execute("DELETE FROM company.company_slot WHERE company_id = ANY(%s)", [cids])
            owner.execute("DELETE FROM company.history WHERE company_id = ANY(%s)", [cids])
            owner.execute("DELETE FROM company.company WHERE company_id = ANY(%s)", [cids])
            owner.execute(
                "DELETE FROM people.contact_verification WHERE contact_id = ANY(%s)", [people_all]
            )
            owner.execute("DELETE FROM people.history WHERE contact_id = ANY(%s)", [people_all])
            owner.execute("DELETE FROM people.contact WHERE contact_id = ANY(%s)", [people_all])
            owner.close()


def _write(sql, params, barrier, first):
    with _app_login() as conn, conn.transaction():
        conn.execute("SELECT public.set_actor('race')")
        if not first:
            barrier.wait()
        conn.execute(sql, params)
        if first:
            barrier.wait()
            time.sleep(0.3)  # the other writer is now blocked on this transaction


def _race(first, second):
    """Run two writes (sql, params) concurrently, the first holding its transaction open."""
    barrier = threading.Barrier(2, timeout=10)
    errors = []

    def run(sql, params, is_first):
        try:
            _write(sql, params, barrier, is_first)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(*first, True)),
        threading.Thread(target=run, args=(*second, False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert errors == []


ADD_MEMBER = (
    "INSERT INTO marketing.campaign_contact (campaign_id, contact_id, company_id, role_code)"
    " VALUES (%s, %s, %s, %s)"
)
FILL = "UPDATE company.company_slot SET contact_id = %s WHERE company_id = %s AND role_code = %s"


def test_concurrent_member_inserts_keep_the_status_counts_exact(world):
    """Two members added to one campaign at once: its (campaign, pending) count is 2."""
    owner, rounds = world
    for cid, (p1, p2), kid in rounds:
        _race((ADD_MEMBER, [kid, p1, cid, "CEO"]), (ADD_MEMBER, [kid, p2, cid, "CFO"]))
        summary = "SELECT campaign_id, status, members FROM marketing.member_status_count"
        assert _rows(owner, summary) == _rows(owner, MEMBERS_DIRECT)
        assert (kid, "pending", 2) in _rows(owner, summary)


def test_concurrent_slot_fills_keep_the_readiness_rows_exact(world):
    """Two slots of one company filled at once: its kept readiness row shows both holders,
    equal to the live readiness view."""
    owner, rounds = world
    for cid, (p1, p2), _kid in rounds:
        _race((FILL, [p1, cid, "CEO"]), (FILL, [p2, cid, "CFO"]))
        one = f"SELECT {READINESS_COLUMNS} FROM %s WHERE company_id = {int(cid)}"
        live = _rows(owner, one % "marketing.vw_renewal_readiness")
        kept = _rows(owner, one % "marketing.vw_renewal_readiness_kept")
        assert kept == live and len(live) == 1
        (filled,) = owner.execute(
            "SELECT filled_count FROM marketing.renewal_readiness WHERE company_id = %s", [cid]
        ).fetchone()
        assert filled == 2


def test_concurrent_renewal_month_changes_keep_the_renewal_counts_exact(world):
    """Two companies moved to the same renewal month at once: the renewal counts equal the
    aggregate (both counted under the new key)."""
    owner, rounds = world
    move = "UPDATE company.company SET renewal_month = %s WHERE company_id = %s"
    for month, (a, b) in zip((5, 8), ((0, 1), (1, 2)), strict=True):
        _race((move, [month, rounds[a][0]]), (move, [month, rounds[b][0]]))
        summary = (
            "SELECT renewal_month, window_days, next_renewal_date, campaign_window_start,"
            " companies FROM company.renewal_count"
        )
        assert _rows(owner, summary) == _rows(owner, RENEWAL_COUNT_DIRECT)
