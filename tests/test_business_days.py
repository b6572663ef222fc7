from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from outreach_admin.business_days import add_business_days, due_at, is_overdue

UTC = ZoneInfo("UTC")


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC time in November 2026 (the 20th is a Friday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (at(18, 10), 1, at(19, 10)),  # Wednesday → Thursday
        (at(19, 10), 1, at(20, 10)),  # Thursday → Friday
        (at(20, 16), 1, at(23, 16)),  # Friday 16:00 → Monday 16:00
        (at(19, 9), 2, at(23, 9)),  # Thursday + 2 → Monday
        (at(21, 10), 1, at(24, 0)),  # Saturday: clock starts Monday 00:00
        (at(22, 23, 30), 1, at(24, 0)),  # Sunday late
        (at(20, 16), 5, at(27, 16)),  # a full business week
        (at(20, 16), 6, at(30, 16)),  # a week and a day, crossing two weekends
        (at(18, 10), 0, at(18, 10)),  # zero days: now
        (at(21, 10), 0, at(23, 0)),  # zero days from a weekend: Monday morning
    ],
)
def test_add_business_days_skips_weekends(start, days, due):
    """Business days skip Saturday and Sunday and keep the time of day."""
    assert add_business_days(start, days, tz="UTC") == due


def test_add_business_days_refuses_negative_days():
    """A negative SLA is a configuration error, not a past due date."""
    with pytest.raises(ValueError):
        add_business_days(at(18), -1)


def test_add_business_days_uses_local_wall_clock():
    """Friday evening in New York is already Saturday in UTC, but still counts as Friday."""
    ny = ZoneInfo("America/New_York")
    start = datetime(2026, 11, 20, 20, 0, tzinfo=ny)  # Sat 01:00 UTC
    assert add_business_days(start, 1, tz="America/New_York") == datetime(
        2026, 11, 23, 20, 0, tzinfo=ny
    )


def test_is_overdue_after_one_business_day(settings):
    """Created Friday 16:00 with a 1-day SLA: fine on Monday 15:59, overdue at 16:01."""
    settings.HANDOFF_SLA_BUSINESS_DAYS = 1
    created = at(20, 16)
    assert due_at(created) == at(23, 16)
    assert not is_overdue(created, at(23, 15, 59))
    assert is_overdue(created, at(23, 16, 1))
    assert not is_overdue(created, at(23, 16, 1), sla_days=2)


def test_sla_setting_is_read(settings):
    """HANDOFF_SLA_BUSINESS_DAYS changes the due time."""
    settings.HANDOFF_SLA_BUSINESS_DAYS = 3
    assert due_at(at(20, 16)) == at(25, 16)


@pytest.mark.django_db
@pytest.mark.parametrize("tz", ["UTC", "America/New_York"])
def test_sql_function_agrees_with_python(tz):
    """marketing.add_business_days gives the same due time as the Python rule, every hour."""
    starts = [at(16) + timedelta(hours=5 * i + 1) for i in range(40)]
    days = [0, 1, 2, 4, 5, 7, 11]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s, d, marketing.add_business_days(s, d, %s)"
            " FROM unnest(%s::timestamptz[]) s CROSS JOIN unnest(%s::int[]) d",
            [tz, starts, days],
        )
        rows = cursor.fetchall()
    assert len(rows) == len(starts) * len(days)
    for start, d, sql_due in rows:
        assert sql_due == add_business_days(start, d, tz=tz), (start, d)
