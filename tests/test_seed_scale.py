"""bench.seed_scale at the hidden XS size (1/1000 of M): counts, distributions, determinism.

Kept at tests/ (not tests/bench/): the build ANALYZEs its tables and leaves planner state the
rolled-back transaction does not undo, which flips tests/companies' window-index plan test when
this module runs first (tests/bench sorts before tests/companies).
"""

import pytest
from django.db import connection, transaction

from bench.seed_scale import build, counts_for, renewal_dates_missing

pytestmark = [pytest.mark.django_db, pytest.mark.owner]


class _Rollback(Exception):
    pass


def _scalar(sql):
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


def _checksum():
    return _scalar(
        "SELECT md5(string_agg(full_name || '|' || coalesce(email, ''), ',' ORDER BY contact_id))"
        " FROM people.contact"
    )


def _build_and_checksum(seed):
    try:
        with transaction.atomic():
            build(connection, size="XS", seed=seed, log=lambda *_: None)
            value = _checksum()
            raise _Rollback
    except _Rollback:
        return value


def test_xs_counts_and_distributions():
    """XS has 1/1000 of M's rows and the issue's distributions within tolerance."""
    result = build(connection, size="XS", seed=7, log=lambda *_: None)
    n = counts_for("XS")
    assert result["status"] == "built"
    got = result["counts"]
    assert got["companies"] == n["companies"] == 100
    assert got["slots"] == 3 * n["companies"]
    assert got["people"] == n["people"] == 500
    assert got["raw_loads"] == n["raw_loads"] == 1000
    assert got["messages"] == n["messages"]
    assert got["members"] > 0
    assert 0.30 <= _scalar("SELECT avg(is_filled::int) FROM company.company_slot") <= 0.50
    assert (
        0.18
        <= _scalar("SELECT avg((email_status = 'green')::int) FROM people.contact_verification")
        <= 0.32
    )
    assert 0.08 <= _scalar("SELECT avg(in_window::int) FROM company.vw_next_renewal") <= 0.22
    dup = _scalar("SELECT avg((status = 'duplicate')::int) FROM intake.raw_loads")
    assert 0.06 <= dup <= 0.14
    assert _scalar("SELECT count(*) FROM bench.injected_duplicate") == 10
    age = _scalar(
        "SELECT max(extract(epoch FROM now() - last_site_checked_at)) / 86400 FROM company.company"
    )
    assert 60 < age <= 120
    # Members obey the member rules even though triggers were bypassed for the load.
    assert (
        _scalar(
            "SELECT count(*) FROM marketing.campaign_contact m"
            " JOIN people.contact_verification v USING (contact_id)"
            " WHERE v.email_status <> 'green'"
        )
        == 0
    )
    # Issue 18: the bulk load runs with triggers off, yet every company with a renewal month has
    # the stored renewal date and window start the trigger would have written.
    assert renewal_dates_missing(connection) == 0
    assert (
        _scalar(
            "SELECT count(*) FROM company.company WHERE renewal_month IS NOT NULL AND"
            " (next_renewal_date <> company.next_renewal_date(renewal_month, current_date)"
            "  OR campaign_window_start <> next_renewal_date - renewal_notice_window_days)"
        )
        == 0
    )
    assert _scalar("SELECT count(*) FROM company.company WHERE renewal_month IS NOT NULL") > 0
    # A dataset built before the "derived" step existed gets it on reuse.
    with connection.cursor() as cur:
        cur.execute("DELETE FROM bench.dataset_step WHERE step = 'derived'")
        cur.execute("SET LOCAL session_replication_role = replica")  # as the old seed did
        cur.execute("UPDATE company.company SET next_renewal_date = NULL")
        cur.execute("SET LOCAL session_replication_role = origin")
    assert renewal_dates_missing(connection) > 0
    assert build(connection, size="XS", seed=7, log=lambda *_: None)["status"] == "reused"
    assert renewal_dates_missing(connection) == 0
    # A second call reuses the dataset.
    assert build(connection, size="XS", seed=7, log=lambda *_: None)["status"] == "reused"


def test_xs_is_deterministic():
    """The same seed gives the same names and emails; another seed gives different ones."""
    first = _build_and_checksum(3)
    again = _build_and_checksum(3)
    other = _build_and_checksum(4)
    assert first == again
    assert first != other


def test_surname_pool_is_large():
    """The surname generator yields at least 50,000 distinct surnames."""
    build(connection, size="XS", seed=1, log=lambda *_: None)
    assert _scalar("SELECT count(DISTINCT bench.surname(r)) FROM generate_series(0, 71999) r") >= (
        50_000
    )
