"""Pipeline-run bookkeeping (``ple.cycle`` / ``ple.step`` / ``ple.log``): the one helper, and
the runs that wrap lower apps' services (duplicate detection, signal generation).

Lower apps never record runs themselves; the command or view that starts a run calls one of
these, which opens the run around the lower service in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils import timezone

from intake.models import PleCycle, PleLog, PleStep
from people.services import PeopleError, duplicates_find
from signals.services import renewal_signals_generate, scores_recalculate


class PipelineRun:
    """One ``ple.cycle`` with its steps and log lines; ``step`` is the step in progress."""

    def __init__(self, *, name: str, started_by: str):
        self.cycle = PleCycle.objects.create(
            cycle_name=name, status="running", started_by=started_by
        )
        self.step: PleStep | None = None

    def step_start(self, name: str, *, step_type: str | None = None) -> PleStep:
        """Open a running step; ``log`` and ``finish`` apply to it."""
        extra = {"step_type": step_type} if step_type else {}
        self.step = PleStep.objects.create(
            cycle=self.cycle, step_name=name, status="running", **extra
        )
        return self.step

    def step_done(self, name: str, *, step_type: str, counts: dict) -> PleStep:
        """Record a step that has already completed with ``counts``."""
        return PleStep.objects.create(
            cycle=self.cycle,
            step_name=name,
            step_type=step_type,
            status="completed",
            counts=counts,
            completed_at=timezone.now(),
        )

    def log(self, message: str, level: str = "info") -> None:
        PleLog.objects.create(step=self.step, message=message, log_level=level)

    def finish(self, *, counts: dict, status: str = "completed", step_counts=None) -> None:
        """Close the running step (with ``step_counts``, default ``counts``) and the cycle."""
        now = timezone.now()
        if self.step is not None:
            self.step.status, self.step.completed_at = status, now
            self.step.counts = counts if step_counts is None else step_counts
            self.step.save(update_fields=["status", "counts", "completed_at"])
        self.cycle.status, self.cycle.completed_at = status, now
        fields = ["status", "completed_at"]
        if counts is not None:
            self.cycle.counts = counts
            fields.insert(1, "counts")
        self.cycle.save(update_fields=fields)


@contextmanager
def pipeline_run(
    *, name: str, started_by: str, step: str | None = None, step_type: str | None = None
) -> Iterator[PipelineRun]:
    """Record a run named ``name`` (with a first running ``step`` if given) for the block; the
    block calls ``run.finish(...)`` with its counts."""
    run = PipelineRun(name=name, started_by=started_by)
    if step:
        run.step_start(step, step_type=step_type)
    yield run


def duplicates_detect(*, actor: str) -> dict:
    """Run ``people.detect_duplicates()`` and record it as a ``ple`` cycle with one step.

    Returns the counts (candidate_pairs, already_known, inserted, by_type) plus ``cycle_id``.
    A failing detector is recorded as a failed cycle and re-raised as ``PeopleError``.
    """
    with (
        transaction.atomic(),
        pipeline_run(
            name="detect_duplicates",
            started_by=actor,
            step="people.detect_duplicates",
            step_type="sql",
        ) as run,
    ):
        try:
            counts = duplicates_find()
        except DatabaseError as exc:
            run.finish(counts=None, status="failed", step_counts={"error": str(exc)[:500]})
            raise PeopleError(f"The duplicate detector failed: {exc}") from exc
        run.finish(counts=counts)
    return {**counts, "cycle_id": run.cycle.pk}


@dataclass(frozen=True)
class GenerateResult:
    cycle_id: int
    signals_added: int
    company_scores: int
    contact_scores: int


def signals_generate(*, actor: str, today: dt.date | None = None) -> GenerateResult:
    """Generate renewal signals for ``today`` and recalculate scores, recorded as a ple run.

    Idempotent (see ``signals.services``). One transaction: the run, its steps and the rows it
    wrote commit together, or nothing does.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic(), pipeline_run(name="generate_signals", started_by=actor) as run:
        added = renewal_signals_generate(today=today)
        run.step_done(
            "renewal_window_signals",
            step_type="signal",
            counts={"added": added, "today": today.isoformat()},
        )
        companies, contacts = scores_recalculate(now=now)
        run.step_done(
            "recalculate_scores",
            step_type="score",
            counts={"company_scores": companies, "contact_scores": contacts},
        )
        run.finish(
            counts={
                "signals_added": added,
                "company_scores": companies,
                "contact_scores": contacts,
            }
        )
    return GenerateResult(run.cycle.pk, added, companies, contacts)
