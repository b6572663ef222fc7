"""Duplicate detection: one call of the SQL detector ``people.detect_duplicates()``.

The run is recorded by whoever starts it (``intake.services.pipeline.duplicates_detect`` wraps
this in a ``ple`` cycle); this service only finds and queues the pairs.
"""

from __future__ import annotations

from django.db import transaction

from people.services.rows import _fetch_one, _json


def duplicates_find() -> dict:
    """Run the detector in a savepoint; return its counts (candidate_pairs, already_known,
    inserted, by_type). A failing detector raises ``DatabaseError`` with nothing written."""
    with transaction.atomic():
        return _json(_fetch_one("SELECT people.detect_duplicates()")[0])
