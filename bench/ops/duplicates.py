"""The duplicate detector (B12) and similar-people lookups (B13)."""

from __future__ import annotations

import statistics
import time

from django.db import transaction

from bench.ops.common import _cur, ms, pct, rolled_back

# --- B12: duplicate detector ------------------------------------------------------------------


def measure_detector(probe=2000) -> dict:
    """detect_duplicates over everyone vs an unblocked trigram self-join extrapolated.

    The reference joins ``probe`` people to everyone by trigram similarity (``%``, the GIN
    index on lower(full_name), no blocking key) and scales the time to all people.
    """
    with _cur() as cur:
        cur.execute("SELECT count(*) FROM people.contact WHERE status <> 'merged'")
        n = cur.fetchone()[0]
    with _cur() as cur:
        cur.execute("SELECT count(*) FROM people.resolution_queue")
        empty = cur.fetchone()[0] == 0
    # An empty queue is filled for real (the duplicates page needs rows), else rolled back.
    with transaction.atomic(using="owner") if empty else rolled_back(), _cur() as cur:
        t = time.perf_counter()
        cur.execute("SELECT people.detect_duplicates()")
        counts = cur.fetchone()[0]
        rolled = time.perf_counter() - t
    ref_sql = f"""
        SELECT count(*) FROM
          (SELECT contact_id, lower(full_name) AS n FROM people.contact
           ORDER BY hashtext(contact_id::text) LIMIT {probe}) p
        JOIN people.contact q ON q.contact_id <> p.contact_id AND lower(q.full_name) % p.n
    """
    with rolled_back(), _cur() as cur:
        cur.execute("SET LOCAL statement_timeout = '300s'")
        t = time.perf_counter()
        cur.execute(ref_sql)
        cur.fetchall()
        sample = time.perf_counter() - t
    extrapolated = sample * n / probe
    with _cur() as cur:
        cur.execute("""
            SELECT count(*) FILTER (WHERE q.resolution_id IS NOT NULL), count(*)
            FROM bench.injected_duplicate d
            LEFT JOIN people.resolution_queue q
              ON least(q.contact_primary_id, q.contact_duplicate_id)
                     = least(d.duplicate_id, d.original_id)
             AND greatest(q.contact_primary_id, q.contact_duplicate_id)
                     = greatest(d.duplicate_id, d.original_id)""")
        found, injected = cur.fetchone()
        cur.execute("""
            SELECT count(*) FILTER (WHERE d.duplicate_id IS NOT NULL), count(*)
            FROM people.resolution_queue q
            LEFT JOIN bench.injected_duplicate d
              ON least(q.contact_primary_id, q.contact_duplicate_id)
                     = least(d.duplicate_id, d.original_id)
             AND greatest(q.contact_primary_id, q.contact_duplicate_id)
                     = greatest(d.duplicate_id, d.original_id)""")
        true_pairs, queued = cur.fetchone()
    return {
        "people": n,
        "detector_s": round(rolled, 3),
        "probe": probe,
        "probe_join_s": round(sample, 3),
        "extrapolated_self_join_s": round(extrapolated, 1),
        "speedup": round(extrapolated / rolled, 1),
        "counts": counts,
        "recall_injected": round(found / injected, 3) if injected else None,
        "precision_vs_injected": round(true_pairs / queued, 3) if queued else None,
        "queued_pairs": queued,
        "injected_pairs": injected,
    }


# --- B13: similar people ----------------------------------------------------------------------


def measure_similar(n=40) -> dict:
    """people.selectors.similar_people for n different people: p50/p95."""
    from people import selectors
    from people.models import Contact

    people = list(Contact.objects.order_by("?")[:n])
    for p in people[:3]:
        selectors.similar_people(p)
    times = []
    for p in people:
        t = time.perf_counter()
        selectors.similar_people(p)
        times.append(time.perf_counter() - t)
    return {
        "samples": len(times),
        "p50_ms": ms(statistics.median(times)),
        "p95_ms": ms(pct(times, 95)),
    }
