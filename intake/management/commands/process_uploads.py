"""``manage.py process_uploads [--once]``: the background worker of large uploads. Claims the
oldest queued ``intake.upload_job`` (or one whose worker died, see
``intake.services.upload_jobs``), ingests it chunk by chunk with visible progress, and loops,
sleeping a second when there is nothing to do. ``--once`` processes what is queued now and
exits (tests, cron). ``make run`` starts it beside the web server."""

import time

from django.core.management.base import BaseCommand

from intake import services


class Command(BaseCommand):
    help = "Process queued background uploads (loops; --once to drain the queue and exit)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--chunk-size", type=int, default=services.INGEST_CHUNK_ROWS)
        parser.add_argument("--idle-seconds", type=float, default=1.0)

    def handle(self, *args, **opts):
        self.verbosity = opts["verbosity"]
        try:
            while True:
                job = services.upload_job_claim()
                if job is None:
                    if opts["once"]:
                        return
                    time.sleep(opts["idle_seconds"])
                    continue
                self.stdout.write(f"Upload job {job.pk} ({job.file_name}): running")
                job = services.upload_job_run(
                    job, chunk_size=max(1, opts["chunk_size"]), on_chunk=self._progress
                )
                line = f"Upload job {job.pk}: {job.status}, {job.rows_done} rows"
                self.stdout.write(line + (f" ({job.error})" if job.error else ""))
        except KeyboardInterrupt:  # make run stopping: a running chunk is rolled back
            self.stdout.write("process_uploads stopped")

    def _progress(self, job):
        if self.verbosity >= 2:
            self.stdout.write(f"Upload job {job.pk}: {job.rows_done}/{job.rows_total} rows")
