"""``manage.py seed_demo``: a realistic, deterministic demo data set for an empty database.

The data set itself is built and written by ``overview.demo`` (see its docstring).
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError

from companies.models import Company
from outreach_admin.db import acting_as
from overview.demo.plan import build_plan
from overview.demo.seeder import Seeder, table_counts
from overview.demo.vocabulary import ACTOR


class Command(BaseCommand):
    help = "Fill an empty database with realistic, deterministic demo data."

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=150)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when the database already has companies.",
        )

    def handle(self, *args, companies, seed, if_empty, **options):
        if companies < 1:
            raise CommandError("--companies must be at least 1.")
        started = time.monotonic()
        with acting_as(ACTOR):
            existing = Company.objects.count()
            if existing:
                if if_empty:
                    self.stdout.write(
                        f"The database already has {existing} companies; "
                        "--if-empty given, nothing seeded."
                    )
                    return
                raise CommandError(
                    f"The database already has {existing} companies. seed_demo only fills an "
                    "empty database (its demo domains would collide); use --if-empty to skip "
                    "quietly, or a fresh database (EMBEDDED_DB_NAME=...)."
                )
            plan = build_plan(companies, seed)
            Seeder(plan, random.Random(seed + 1), self.stdout).run()
            counts = table_counts()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data seeded in {elapsed:.1f}s (seed {seed}):"))
        for label, n in counts.items():
            self.stdout.write(f"  {label:<32}{n:>7}")
