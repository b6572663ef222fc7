"""``python -m bench.seed_scale --size S|M|L [--seed N] [--db ALIAS] [--allow-dev-db]``.

Builds (or reuses) the dataset in the database the settings point at (``EMBEDDED_DB_NAME`` for
the embedded server; migrate it first with ``manage.py migrate --database owner``).
``python -m bench.run`` does all of that itself; this entry point is for building alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv=None) -> int:
    from bench.seed_scale import DEV_DATABASES, SIZES

    parser = argparse.ArgumentParser(
        prog="python -m bench.seed_scale",
        description="Build (or reuse) a deterministic benchmark dataset: --size S|M|L [--seed N].",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--db", default="owner", help="database alias (must be a superuser connection)"
    )
    parser.add_argument(
        "--allow-dev-db", action="store_true", help="allow the dev database 'outreach'"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach_admin.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    from bench.seed_scale import build

    conn = connections[args.db]
    name = conn.settings_dict["NAME"]
    if name in DEV_DATABASES and not args.allow_dev_db:
        parser.error(
            f"Refusing to seed the dev database {name!r}: run with "
            "EMBEDDED_DB_NAME=outreach_bench (migrate it first with --database owner)."
        )
    t0 = time.monotonic()
    result = build(conn, size=args.size, seed=args.seed, log=print)
    print(
        f"seed_scale {args.size} seed={args.seed} on {name}: {result['status']} "
        f"in {time.monotonic() - t0:.1f}s {result['counts']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
