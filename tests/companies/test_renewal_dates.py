"""Stored renewal dates (companies 0006): trigger, roll-forward, stale fallback, index use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from companies.services import renewal_dates_roll

pytestmark = pytest.mark.django_db


def q(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall() if c.description else []


def one(sql: str, params=None):
    return q(sql, params)[0][0]


def today() -> dt.date:
    return one("SELECT current_date")


def next_renewal(month: int, on: dt.date) -> dt.date:
    first = dt.date(on.year, month, 1)
    return first if first >= on else dt.date(on.year + 1, month, 1)


def add_company(name: str, month: int | None, window: int = 120) -> int:
    return one(
        "INSERT INTO company.company (company_name, renewal_month, renewal_notice_window_days)"
        " VALUES (%s, %s, %s) RETURNING company_id",
        [name, month, window],
    )


def stored(company_id: int) -> tuple:
    return q(
        "SELECT next_renewal_date, campaign_window_start FROM company.company"
        " WHERE company_id = %s",
        [company_id],
    )[0]


def make_stale(company_id: int) -> dt.date:
    """Put last cycle's renewal date back (what a missed roll-forward leaves), as the owner."""
    nxt = stored(company_id)[0]
    prev = nxt.replace(year=nxt.year - 1)
    q("SET LOCAL ROLE NONE")
    q(
        "ALTER TABLE company.company DISABLE TRIGGER company_renewal_dates;"
        " UPDATE company.company SET next_renewal_date = %s, campaign_window_start = %s - 120"
        " WHERE company_id = %s;"
        " ALTER TABLE company.company ENABLE TRIGGER company_renewal_dates",
        [prev, prev, company_id],
    )
    return prev


def in_window_month() -> int:
    """A month whose renewal window (120 days) is open today."""
    return (today() + dt.timedelta(days=40)).replace(day=1).month


def test_insert_and_month_change_set_the_stored_dates():
    """The trigger stores the next renewal and window start on insert and on a month change."""
    cid = add_company("Stored Dates Co", 5, window=90)
    nxt = next_renewal(5, today())
    assert stored(cid) == (nxt, nxt - dt.timedelta(days=90))
    q("UPDATE company.company SET renewal_month = 8 WHERE company_id = %s", [cid])
    nxt = next_renewal(8, today())
    assert stored(cid) == (nxt, nxt - dt.timedelta(days=90))
    q("UPDATE company.company SET renewal_notice_window_days = 30 WHERE company_id = %s", [cid])
    assert stored(cid) == (nxt, nxt - dt.timedelta(days=30))
    q("UPDATE company.company SET renewal_month = NULL WHERE company_id = %s", [cid])
    assert stored(cid) == (None, None)


def test_a_written_date_that_is_not_an_occurrence_is_recomputed():
    """Writing a date that is not a 1st of the renewal month (or is too far ahead) is refused."""
    cid = add_company("Bad Date Co", 3)
    nxt = next_renewal(3, today())
    for bad in (nxt + dt.timedelta(days=1), nxt.replace(year=nxt.year + 2)):
        q("UPDATE company.company SET next_renewal_date = %s WHERE company_id = %s", [bad, cid])
        assert stored(cid)[0] == nxt


@pytest.mark.owner
def test_roll_forward_updates_only_stale_rows_without_history_or_updated_at():
    """f_roll_renewal_dates moves stale rows to the next renewal; fresh rows are untouched."""
    stale = add_company("Stale Co", 4)
    fresh = add_company("Fresh Co", 6)
    q("SELECT company.f_roll_renewal_dates()")  # other stale rows of the test db, if any
    make_stale(stale)
    before = q(
        "SELECT updated_at, (SELECT count(*) FROM company.history h"
        " WHERE h.company_id = c.company_id) FROM company.company c WHERE company_id = %s",
        [stale],
    )[0]
    assert one("SELECT company.f_roll_renewal_dates()") == 1
    nxt = next_renewal(4, today())
    assert stored(stale) == (nxt, nxt - dt.timedelta(days=120))
    assert stored(fresh)[0] == next_renewal(6, today())
    after = q(
        "SELECT updated_at, (SELECT count(*) FROM company.history h"
        " WHERE h.company_id = c.company_id) FROM company.company c WHERE company_id = %s",
        [stale],
    )[0]
    assert after == before
    assert one("SELECT company.f_roll_renewal_dates()") == 0


@pytest.mark.owner
def test_views_and_lists_are_right_while_a_row_is_stale():
    """A row the roll-forward has not reached shows the computed renewal and window."""
    from companies import selectors as company_selectors
    from marketing.selectors import campaigns as marketing_selectors

    month = in_window_month()
    cid = add_company("Missed Roll Co", month)
    nxt = next_renewal(month, today())
    make_stale(cid)
    assert stored(cid)[0] < today()
    row = q(
        "SELECT next_renewal_date, campaign_window_start, in_window FROM company.vw_next_renewal"
        " WHERE company_id = %s",
        [cid],
    )[0]
    assert row == (nxt, nxt - dt.timedelta(days=120), True)
    r = marketing_selectors.renewal_list().get(company_id=cid)
    assert (r.next_renewal_date, r.in_window) == (nxt, True)
    assert marketing_selectors.renewal_list().filter(in_window=True, company_id=cid).exists()
    c = company_selectors.company_list().get(pk=cid)
    assert (c.next_renewal, c.window_start) == (nxt, nxt - dt.timedelta(days=120))


def test_roll_service_and_command_run_as_the_app_role():
    """The service and the management command roll forward through the app role."""
    assert renewal_dates_roll(actor="test") >= 0
    call_command("roll_renewal_dates")


@pytest.mark.owner
def test_renewal_ready_query_uses_the_window_index():
    """The in-window renewal page query walks a window-start index (no per-row dates): since
    issue 18 the page reads the trigger-kept marketing.renewal_readiness through its
    renewal_readiness_window_idx, the counterpart of company_window_start_idx."""
    from marketing.selectors import campaigns as marketing_selectors

    for i in range(30):
        add_company(f"Index Co {i}", (i % 12) + 1)
    # As in production most companies are outside their window (window 0 days: it opens on the
    # renewal date), so the window index is the selective path whatever other tests left in
    # pg_class.reltuples; with 30 rows a third of which are in window the planner could
    # equally pick the renewal-month index.
    q(
        "INSERT INTO company.company (company_name, renewal_month, renewal_notice_window_days)"
        " SELECT 'Far Co ' || g, (g % 12) + 1, 0 FROM generate_series(1, 1500) g"
    )
    # Every table the query reads, not only company: ANALYZE updates pg_class.reltuples in
    # place (not rolled back), so an earlier test's bulk rows would otherwise steer the plan.
    q("ANALYZE")
    qs = marketing_selectors.renewal_list().filter(in_window=True)[:50]
    sql, params = qs.query.sql_with_params()
    q("SET LOCAL enable_seqscan = off")
    plan = "\n".join(r[0] for r in q("EXPLAIN " + sql, params))
    assert "renewal_readiness_window_idx" in plan, plan
