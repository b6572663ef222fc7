"""``python -m bench.upload_100k [--rows 100000] [--dup-rate 0.10] [--keep]``.

The 100,000-row upload of issue 8, outside the timed test suite: writes a JSON-lines file with a
known share of repeated emails, then pushes it through the upload view's code path (the
streaming reader ``intake.parsing.iter_json`` over ``open_text`` and
``intake.services.upload_ingest``: one validation pass, then ``f_ingest_json`` in chunks) in one
transaction as the app role, like a request. Prints rows/s, chunks, duplicates flagged against
the expected count, and the process's peak RSS (``getrusage``) before and after, which shows
that the file is never held in memory.

Runs against ``EMBEDDED_DB_NAME`` (default ``outreach_bench``; migrate it first with
``EMBEDDED_DB_NAME=outreach_bench manage.py migrate --database owner``). The work is rolled back
unless ``--keep`` is given, so repeated runs do not grow the bench database; the emails carry a
per-run prefix so a kept earlier run never turns this run's rows into duplicates.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    os.environ.setdefault("EMBEDDED_DB_NAME", "outreach_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach_admin.settings")
    os.environ["DJANGO_DEBUG"] = "false"  # no query log growing with every chunk
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def write_file(path: Path, *, rows: int, dup_rate: float, seed: int) -> int:
    """Write ``rows`` JSON lines; ``dup_rate`` of them repeat an earlier row's email.

    Returns the number of repeated rows (the duplicates the ingest must flag)."""
    rng = random.Random(seed)
    run = uuid.uuid4().hex[:8]
    titles = ["CEO", "CFO", "VP Human Resources", "HR Director", "Chief Financial Officer", "CTO"]
    emails: list[str] = []
    repeats = 0
    with path.open("w", encoding="utf-8") as fh:
        for n in range(rows):
            if emails and rng.random() < dup_rate:
                email = rng.choice(emails)
                repeats += 1
            else:
                email = f"bench{run}.{n}@company{n % 5000}.example.com"
                emails.append(email)
            company = n % 5000
            row = {
                "email": email,
                "full_name": f"Bench Person {n}",
                "title": titles[n % len(titles)],
                "company": f"Bench Company {company}",
                "website": f"https://company{company}.example.com",
                "phone": f"+1 555 {n:07d}",
                "linkedin_url": f"https://www.linkedin.com/in/bench-{run}-{n}",
            }
            fh.write(json.dumps(row) + "\n")
    return repeats


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dup-rate", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="commit instead of rolling back")
    args = parser.parse_args(argv)

    _setup()
    from django.db import connection, transaction

    from intake import parsing, services
    from outreach_admin.db import acting_as

    connection.ensure_connection()
    rss_before = _peak_rss_mib()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload_100k.jsonl"
        repeats = write_file(path, rows=args.rows, dup_rate=args.dup_rate, seed=args.seed)
        size_mib = path.stat().st_size / 1024 / 1024
        rss_after_write = _peak_rss_mib()

        def open_rows():
            # As the upload view: a binary file, decoded and parsed while it is read.
            return parsing.iter_json(parsing.open_text(path.open("rb")))

        started = time.perf_counter()
        with acting_as("bench"):
            batch_id = f"bench-100k-{uuid.uuid4().hex[:8]}"
            totals = services.upload_ingest(
                open_rows=open_rows,
                source="bench",
                batch_id=batch_id,
            )
            elapsed = time.perf_counter() - started
            if not args.keep:
                transaction.set_rollback(True)
    rss_peak = _peak_rss_mib()

    print(f"database            {connection.settings_dict['NAME']}")
    print(f"file                {args.rows:,} JSON lines, {size_mib:.1f} MiB")
    print(f"rows read           {totals.rows:,} in {elapsed:.2f} s (both passes)")
    print(f"rows/s              {totals.rows / elapsed:,.0f}")
    print(f"chunks              {totals.chunks} of ≤ {services.INGEST_CHUNK_ROWS:,} rows")
    print(f"stored as pending   {totals.inserted:,}")
    print(
        f"duplicates flagged  {totals.duplicate:,} (expected {repeats:,}: "
        f"{'exact' if totals.duplicate == repeats else 'MISMATCH'})"
    )
    print(f"skipped             {totals.skipped:,}")
    print(
        f"peak RSS            {rss_peak:.1f} MiB "
        f"(after setup {rss_before:.1f} MiB, after writing the file {rss_after_write:.1f} MiB)"
    )
    print(f"outcome             {'committed' if args.keep else 'rolled back (use --keep)'}")
    return 0 if totals.duplicate == repeats and totals.rows == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
