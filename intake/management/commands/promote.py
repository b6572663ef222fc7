"""``manage.py promote [--batch B]``: promote pending raw loads (one batch, or all) into the
vault and the golden records through ``vault.f_promote_contacts``."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from intake import services
from intake.management.commands._progress import Progress
from outreach_admin.db import acting_as


class Command(BaseCommand):
    help = "Promote pending raw loads (of one batch, or of every batch)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", help="only this batch id")

    def handle(self, *args, **opts):
        user = getpass.getuser()
        with acting_as(user):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT batch_id FROM intake.raw_loads WHERE status = 'pending' "
                    "AND (%s::text IS NULL OR batch_id = %s) GROUP BY batch_id ORDER BY 1",
                    [opts["batch"], opts["batch"]],
                )
                batches = [row[0] for row in cursor.fetchall()]
            if not batches:
                raise CommandError(
                    f"Nothing to promote: batch {opts['batch']} has no pending loads."
                    if opts["batch"]
                    else "Nothing to promote: no pending loads."
                )
            with services.pipeline_run(
                name=f"promote {opts['batch'] or 'all'}", started_by=user, step="promote"
            ) as run:
                progress = Progress(self.stdout, len(batches), "batches promoted")
                totals = {"loads": 0, "promoted": 0, "updated": 0, "failed": 0}
                for done, batch_id in enumerate(batches, 1):
                    outcome = services.batch_promote(batch_id=batch_id, actor=user)
                    r = outcome.result
                    totals["loads"] += outcome.load_count
                    totals["promoted"] += r.promoted_count
                    totals["updated"] += r.updated_count
                    totals["failed"] += r.failed_count
                    run.log(f"{batch_id}: {r.message}")
                    progress.update(done)
                progress.close()
                run.finish(counts={"batches": len(batches), **totals})
        self.stdout.write(
            self.style.SUCCESS(
                f"Promoted {totals['loads']} loads from {len(batches)} batch(es): "
                f"{totals['promoted']} new, {totals['updated']} updated, "
                f"{totals['failed']} failed."
            )
        )
