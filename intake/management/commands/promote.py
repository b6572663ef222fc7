"""``manage.py promote [--batch B]``: promote pending raw loads (one batch, or all) into the
vault and the golden records through ``vault.f_promote_contacts``."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from intake import outcomes, services
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
                summaries = []
                totals = {"loads": 0, "promoted": 0, "updated": 0, "failed": 0}
                for done, batch_id in enumerate(batches, 1):
                    outcome = services.batch_promote(batch_id=batch_id, actor=user)
                    r = outcome.result
                    totals["loads"] += outcome.load_count
                    totals["promoted"] += r.promoted_count
                    totals["updated"] += r.updated_count
                    totals["failed"] += r.failed_count
                    run.log(f"{batch_id}: {r.message}")
                    if outcome.audit_log_id:
                        summaries.append((batch_id, outcome.audit_log_id))
                    progress.update(done)
                progress.close()
                run.finish(counts={"batches": len(batches), **totals})
            for batch_id, audit_id in summaries:
                self._describe(batch_id, outcomes.promotion_summary(audit_id))
        self.stdout.write(
            self.style.SUCCESS(
                f"Promoted {totals['loads']} loads from {len(batches)} batch(es): "
                f"{totals['promoted']} new, {totals['updated']} updated, "
                f"{totals['failed']} failed."
            )
        )

    def _describe(self, batch_id, summary):
        """Print what one batch's promotion did: sentences, then each outcome's records with
        their page paths (bounded like the batch page)."""
        if summary is None:
            return
        self.stdout.write(f"Batch {batch_id}:")
        for sentence in summary["sentences"]:
            self.stdout.write(f"  {sentence}")
        for kind, url_name in (("people", "people:contact"), ("companies", "companies:company")):
            for label, section in summary[kind].items():
                if label == "unchanged" or not section["count"]:
                    continue
                self.stdout.write(f"  {kind.capitalize()} {label}:")
                for item in section["items"]:
                    self.stdout.write(f"    {item['name']}  {reverse(url_name, args=[item['id']])}")
                if section["more"]:
                    self.stdout.write(f"    and {section['more']} more")
        for label, section in summary["slots"].items():
            if section["count"]:
                self.stdout.write(f"  Slots {label}:")
                for s in section["items"]:
                    where = (
                        reverse("companies:company", args=[s["company_id"]])
                        if s["company_id"]
                        else ""
                    )
                    self.stdout.write(
                        f"    {s['role_code']} at {s['company_name']}"
                        f"{' - ' + s['person_name'] if s['person_name'] else ''}"
                        f"{' (' + s['reason'] + ')' if s.get('reason') else ''}  {where}"
                    )
                if section["more"]:
                    self.stdout.write(f"    and {section['more']} more")
