"""The renewal rule at its edges: company.next_renewal_date with explicit dates, and the views
vw_next_renewal / vw_due_renewals_ready with data placed relative to the database's today.

Rule (SCHEMA.md): the next renewal is the first day of renewal_month this year when that day is
today or later, otherwise next year; the window opens renewal_notice_window_days before it; a
company is in window when campaign_window_start <= today.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def q(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall() if c.description else []


def one(sql: str, params=None):
    rows = q(sql, params)
    assert len(rows) == 1, rows
    return rows[0] if len(rows[0]) > 1 else rows[0][0]


def today() -> dt.date:
    return one("SELECT current_date")


def next_renewal(month: int, on: dt.date) -> dt.date:
    first = dt.date(on.year, month, 1)
    return first if first >= on else dt.date(on.year + 1, month, 1)


@pytest.mark.parametrize(
    ("month", "on", "expected"),
    [
        (5, "2026-05-01", "2026-05-01"),  # renewal day itself is today
        (5, "2026-05-02", "2027-05-01"),  # the day after: next year
        (5, "2026-04-30", "2026-05-01"),
        (1, "2026-12-15", "2027-01-01"),  # December → January wrap
        (12, "2026-12-01", "2026-12-01"),
        (12, "2026-12-31", "2027-12-01"),
        (1, "2026-01-01", "2026-01-01"),
        (1, "2026-01-02", "2027-01-01"),
        (3, "2028-02-29", "2028-03-01"),  # leap day
        (2, "2028-02-29", "2029-02-01"),
    ],
)
def test_next_renewal_date_at_the_edges(month, on, expected):
    """next_renewal_date is this year's 1st of the month if not past, else next year's."""
    assert one("SELECT company.next_renewal_date(%s, %s::date)", [month, on]) == (
        dt.date.fromisoformat(expected)
    )


def test_next_renewal_date_without_month_is_null_and_defaults_to_today():
    """No renewal month gives no date; the date argument defaults to current_date."""
    assert one("SELECT company.next_renewal_date(NULL, '2026-05-01')") is None
    month = (today() + dt.timedelta(days=70)).month
    assert one("SELECT company.next_renewal_date(%s)", [month]) == next_renewal(month, today())


def add_company(name: str, month: int | None, window: int = 120) -> int:
    return one(
        "INSERT INTO company.company (company_name, renewal_month, renewal_notice_window_days) "
        "VALUES (%s, %s, %s) RETURNING company_id",
        [name, month, window],
    )


def renewal_row(company: int):
    rows = q(
        "SELECT next_renewal_date, campaign_window_start, days_until_renewal, in_window "
        "FROM company.vw_next_renewal WHERE company_id = %s",
        [company],
    )
    return rows[0] if rows else None


def test_window_of_zero_days_is_open_only_on_the_renewal_day():
    """With a 0-day window the company is in window only on the renewal day itself."""
    t = today()
    this_month = add_company("Zero This Month", t.month, window=0)
    next_month = add_company("Zero Next Month", (t.replace(day=1) + dt.timedelta(days=32)).month, 0)
    renewal, start, days, in_window = renewal_row(this_month)
    assert renewal == next_renewal(t.month, t)
    assert start == renewal
    assert in_window is (t.day == 1)  # renewal today only when today is the 1st
    assert days == (renewal - t).days
    assert renewal_row(next_month)[3] is False


def test_window_opens_exactly_on_campaign_window_start():
    """In window from campaign_window_start on; one day earlier it is not."""
    t = today()
    month = (t + dt.timedelta(days=40)).month
    renewal = next_renewal(month, t)
    lead = (renewal - t).days
    opens_today = add_company("Opens Today", month, window=lead)
    opens_tomorrow = add_company("Opens Tomorrow", month, window=lead - 1)
    assert renewal_row(opens_today) == (renewal, t, lead, True)
    assert renewal_row(opens_tomorrow) == (renewal, t + dt.timedelta(days=1), lead, False)


def test_days_until_renewal_and_window_start_are_exact():
    """days_until_renewal = next_renewal_date - today; window start = renewal - window days."""
    t = today()
    for offset, window in ((0, 120), (100, 30), (200, 365), (330, 0)):
        month = (t + dt.timedelta(days=offset)).month
        company = add_company(f"Exact {offset}", month, window)
        renewal = next_renewal(month, t)
        start = renewal - dt.timedelta(days=window)
        assert renewal_row(company) == (renewal, start, (renewal - t).days, start <= t)


def test_company_without_renewal_month_is_absent_from_vw_next_renewal():
    """A company with no renewal month has no next renewal and is not listed."""
    company = add_company("No Month", None)
    assert renewal_row(company) is None


def person(name: str, status: str, email_status: str) -> int:
    contact = one(
        "INSERT INTO people.contact (full_name, email) VALUES (%s, %s) RETURNING contact_id",
        [name, name.lower().replace(" ", ".") + "@example.com"],
    )
    q(
        "INSERT INTO people.contact_verification (contact_id, email_status) VALUES (%s, %s)",
        [contact, email_status],
    )
    if status != "active":
        q("UPDATE people.contact SET status = %s WHERE contact_id = %s", [status, contact])
    return contact


def seat(company: int, role: str, contact: int | None) -> None:
    q(
        "INSERT INTO company.company_slot (company_id, role_code, contact_id) VALUES (%s, %s, %s)",
        [company, role, contact],
    )


def ready_ids() -> dict[int, tuple]:
    return {
        r[0]: r[1:]
        for r in q(
            "SELECT company_id, has_green_contact, green_contact_count, filled_slot_count "
            "FROM company.vw_due_renewals_ready"
        )
    }


def test_due_renewals_ready_lists_only_in_window_active_companies_with_a_green_slot():
    """vw_due_renewals_ready: in window, active, and a filled slot whose person is green."""
    t = today()
    soon = (t + dt.timedelta(days=35)).month  # renewal within 35 days: inside a 120-day window
    far = (t.replace(day=1) - dt.timedelta(days=1)).month  # last month: ~11 months away

    ready = add_company("Ready", soon)
    seat(ready, "CEO", person("Green Boss", "active", "green"))
    seat(ready, "CFO", person("Yellow Money", "active", "yellow"))
    seat(ready, "HR", None)

    yellow_only = add_company("Yellow Only", soon)
    seat(yellow_only, "CEO", person("Yellow Boss", "active", "yellow"))

    archived = add_company("Archived", soon)
    seat(archived, "CEO", person("Archived Boss", "active", "green"))
    q("UPDATE company.company SET status = 'archived' WHERE company_id = %s", [archived])

    out_of_window = add_company("Out Of Window", far, window=30)
    seat(out_of_window, "CEO", person("Far Boss", "active", "green"))

    unseated = add_company("Unseated Green", soon)
    seat(unseated, "CEO", None)
    green_employee = person("Green Employee", "active", "green")
    q("UPDATE people.contact SET company_id = %s WHERE contact_id = %s", [unseated, green_employee])

    gone = add_company("Unsubscribed Green", soon)
    seat(gone, "CEO", person("Gone Boss", "active", "green"))
    q(
        "UPDATE people.contact SET status = 'unsubscribed' WHERE full_name = 'Gone Boss'",
    )

    listed = ready_ids()
    assert listed.get(ready) == (True, 1, 2)
    for company in (yellow_only, archived, out_of_window, unseated, gone):
        assert company not in listed

    row = one(
        "SELECT company_name, next_renewal_date, campaign_window_start, days_until_renewal "
        "FROM company.vw_due_renewals_ready WHERE company_id = %s",
        [ready],
    )
    renewal = next_renewal(soon, t)
    assert row == ("Ready", renewal, renewal - dt.timedelta(days=120), (renewal - t).days)
