"""Deterministic, set-based scale dataset for the benchmarks (issue 11).

``python -m bench.seed_scale --size S|M|L [--seed N] [--db ALIAS]`` (or ``build()``, which
``bench/run.py`` calls) fills an (otherwise empty) database with companies, slots, people,
verifications, raw loads, campaigns, members and messages. Every value is a pure function of
``(seed, table, row number)`` through ``hashtext`` (no ``random()``), so the same seed gives the
same data on any machine.

Bulk-load choices, on purpose:
* Rows are made by ``INSERT … SELECT … FROM generate_series`` on the server, never the ORM.
* Company, slot, person, member and message inserts run with
  ``session_replication_role = replica`` (the owner is a superuser): per-row history, guard and
  normalisation triggers would otherwise dominate the load time. The generator writes values
  that already satisfy those rules (normalised names, filled_at set for filled slots, members
  only green and active, counts recomputed), and sequences are moved past the explicit ids.
  What triggers would have stored (renewal dates, issue 18) is computed afterwards by the
  ``derived`` step, set-based, with the triggers' own SQL functions.
* Raw loads go through ``intake.f_ingest_json`` (FORCEd RLS forbids direct inserts, and the
  function is what the app uses), in batches whose ``jsonb[]`` is built server-side.

Resumable: each finished step is recorded in ``bench.dataset_step``; ingest batches already
present are skipped. A dataset for another size or seed in the same database is refused.

Modules: ``vocabulary`` (sizes, word pools), ``steps`` (one set-based INSERT per table) and
``build`` (the generator's SQL helpers, the resumable step runner, the counts).
"""

from bench.seed_scale.build import (
    STEPS,
    build,
    dataset_counts,
    functions_sql,
    renewal_dates_missing,
)
from bench.seed_scale.vocabulary import DEV_DATABASES, SIZES, counts_for

__all__ = [
    "DEV_DATABASES",
    "SIZES",
    "STEPS",
    "build",
    "counts_for",
    "dataset_counts",
    "functions_sql",
    "renewal_dates_missing",
]
