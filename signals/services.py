"""The write path for buying-intent signals and scores (WORKFLOWS.md §3, bit schema).

``signals_generate`` is the body of ``manage.py generate_signals``: it records a ``ple.cycle``
run with one ``ple.step`` per part and calls the SQL functions of migration signals 0003:

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
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from intake.models import PleCycle, PleStep
from signals.models import Signal


@dataclass(frozen=True)
class GenerateResult:
    cycle_id: int
    signals_added: int
    company_scores: int
    contact_scores: int


def signals_generate(*, actor: str, today: dt.date | None = None) -> GenerateResult:
    """Generate renewal signals for ``today`` and recalculate scores, recorded as a ple run.

    Idempotent (see the module docstring). One transaction: the run, its steps and the rows it
    wrote commit together, or nothing does.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        cycle = PleCycle.objects.create(
            cycle_name="generate_signals", status="running", started_by=actor
        )
        with connection.cursor() as cursor:
            # The daily pipeline keeps the stored renewal dates current (companies 0006).
            cursor.execute("SELECT company.f_roll_renewal_dates()")
            cursor.execute("SELECT bit.generate_renewal_signals(%s)", [today])
            (added,) = cursor.fetchone()
            PleStep.objects.create(
                cycle=cycle,
                step_name="renewal_window_signals",
                step_type="signal",
                status="completed",
                counts={"added": added, "today": today.isoformat()},
                completed_at=timezone.now(),
            )
            cursor.execute("SELECT * FROM bit.recalculate_scores(%s)", [now])
            companies, contacts = cursor.fetchone()
            PleStep.objects.create(
                cycle=cycle,
                step_name="recalculate_scores",
                step_type="score",
                status="completed",
                counts={"company_scores": companies, "contact_scores": contacts},
                completed_at=timezone.now(),
            )
        PleCycle.objects.filter(pk=cycle.pk).update(
            status="completed",
            completed_at=timezone.now(),
            counts={
                "signals_added": added,
                "company_scores": companies,
                "contact_scores": contacts,
            },
        )
    return GenerateResult(cycle.pk, added, companies, contacts)


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
