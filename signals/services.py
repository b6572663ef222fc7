"""The write path for buying-intent signals and scores (WORKFLOWS.md §3, bit schema).

``manage.py generate_signals`` (intake's ``signals_generate`` records it as a ``ple.cycle`` run with
one ``ple.step`` per part) calls these services, i.e. the SQL functions of migration signals 0003:

* ``bit.generate_renewal_signals(today)`` adds ``renewal_window_open_<N>d`` (N = the company's
  notice window in days) for every active company whose window is open, once per renewal cycle:
  ``dedupe_key = 'renewal:<company_id>:<next_renewal_date>'`` and ``ON CONFLICT (dedupe_key) DO
  NOTHING``, so a second run (same day or any day of the same cycle) adds nothing; the next
  cycle has a new renewal date, hence a new key.
* ``bit.recalculate_scores(now)`` rewrites ``bit.company_score`` and ``bit.contact_score``.

Score weights (the SQL is the source of truth; keep this list in step with it):

* company score = min(100, Σ weight(reason) × signal_strength × 0.5 ^ (age_days / 30)) over the
  company's signals of the last 365 days; weight: renewal_window_open_* 1.0,
  executive_movement 0.8, funding_raised 0.7, job_postings 0.5, anything else 0.4.
  Exponential decay with a 30-day half-life: a fresh renewal signal (strength 80) scores 80,
  a 30-day-old one 40, a 60-day-old one 20.
* contact score = min(100, Σ outcome points × 0.5 ^ (days since the member's last change / 60))
  + the person's own signals weighted as above; outcome points: sent 5, opened 15, replied 40,
  booked 60 (pending, bounced, unsubscribed 0).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from people.services import references
from signals.models import Signal


def renewal_signals_generate(*, today: dt.date) -> int:
    """Keep the stored renewal dates current (companies 0006), then add the renewal-window
    signals of ``today``; returns how many were added."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT company.f_roll_renewal_dates()")
        cursor.execute("SELECT bit.generate_renewal_signals(%s)", [today])
        return cursor.fetchone()[0]


def scores_recalculate(*, now: dt.datetime) -> tuple[int, int]:
    """Rewrite ``bit.company_score`` and ``bit.contact_score``; returns both row counts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM bit.recalculate_scores(%s)", [now])
        companies, contacts = cursor.fetchone()
    return companies, contacts


def signal_mark_processed(*, signal_ids: list[int], actor: str) -> int:
    """Mark the given signals processed now; already-processed ones keep their time.

    Returns how many changed. Locks the rows in primary-key order first, so two coordinators
    marking overlapping selections do not deadlock. One UPDATE, so ``bit.history`` records every
    signal it marks in one set-based trigger firing, naming ``outreach.actor`` (signals 0005).
    """
    ids = sorted({int(i) for i in signal_ids})
    if not ids:
        return 0
    with transaction.atomic():
        locked = list(
            Signal.objects.select_for_update()
            .filter(pk__in=ids, processed_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return Signal.objects.filter(pk__in=locked).update(processed_at=timezone.now())


def register_person_references() -> None:
    """Register the signals and contact scores a person merge moves (``SignalsConfig.ready``)."""
    references.register_repointed(
        table="bit.signal",
        pk="signal_id",
        column="contact_id",
        one="signal",
        many="signals",
        position=100,
    )
    references.register_one_per_person(
        table="bit.contact_score",
        order="engagement_score DESC, calculated_at DESC NULLS LAST",
        label="engagement score",
        position=20,
    )
