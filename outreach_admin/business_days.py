"""Business-day arithmetic for the handoff SLA clock.

The clock only runs Monday to Friday: a handoff created Friday 16:00 with a one-business-day SLA
is due Monday 16:00; one created on a weekend starts counting Monday 00:00. Wall-clock time is
taken in ``settings.TIME_ZONE`` so "Friday" means the coordinators' Friday.

The same rule exists in SQL as ``marketing.add_business_days(timestamptz, integer, text)``
(marketing/migrations/sql/0004_handoff_sla.sql) so lists can sort and filter on "overdue" in
the database; ``tests/test_business_days.py`` checks that both agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

SATURDAY = 5


def sla_days() -> int:
    """The configured SLA in business days (``HANDOFF_SLA_BUSINESS_DAYS``, default 1)."""
    return int(getattr(settings, "HANDOFF_SLA_BUSINESS_DAYS", 1))


def add_business_days(start: datetime, days: int, *, tz: str | None = None) -> datetime:
    """Return ``start`` plus ``days`` business days, skipping Saturdays and Sundays.

    A start on a weekend first moves to the following Monday 00:00 (the clock is stopped at
    weekends). The time of day is kept, in local wall-clock time.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    zone = ZoneInfo(tz or settings.TIME_ZONE)
    local = start.astimezone(zone).replace(tzinfo=None)
    if local.weekday() >= SATURDAY:
        local = datetime.combine(local.date(), datetime.min.time()) + timedelta(
            days=7 - local.weekday()
        )
    weeks, rest = divmod(days, 5)
    extra = 2 if local.weekday() + rest >= SATURDAY else 0
    due = local + timedelta(days=weeks * 7 + rest + extra)
    return due.replace(tzinfo=zone)


def due_at(created_at: datetime, sla: int | None = None) -> datetime:
    """When a handoff created at ``created_at`` must be decided."""
    return add_business_days(created_at, sla_days() if sla is None else sla)


def is_overdue(created_at: datetime, now: datetime, sla_days: int | None = None) -> bool:
    """True when ``now`` is past the SLA due time of something created at ``created_at``."""
    return now > due_at(created_at, sla_days)


class AddBusinessDays(models.Func):
    """``marketing.add_business_days(expr, days, TIME_ZONE)`` as a Django expression."""

    function = "marketing.add_business_days"
    output_field = models.DateTimeField()

    def __init__(self, expression, days: int | None = None, **extra):
        days = sla_days() if days is None else days
        super().__init__(
            expression,
            models.Value(days, output_field=models.IntegerField()),
            models.Value(settings.TIME_ZONE, output_field=models.TextField()),
            **extra,
        )
