"""``manage.py ingest FILE --source S --batch B``: stream a JSON/JSON-lines/CSV file into
``intake.raw_loads`` through ``intake.f_ingest_json``, validated whole before anything is stored.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError

from intake import parsing, services
from intake.forms import SOURCES, clean_batch_id
from intake.management.commands._progress import Progress
from outreach_admin.db import acting_as


class Command(BaseCommand):
    help = "Ingest a JSON, JSON-lines or CSV file of raw contact rows as one batch."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, choices=[s for s, _ in SOURCES])
        parser.add_argument("--batch", required=True, help="batch id, e.g. apollo-2026-11-22")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="CSV: map a header to a raw field (repeatable); others are guessed",
        )

    def handle(self, *args, **opts):
        path = opts["file"]
        try:
            batch_id = clean_batch_id(opts["batch"])
        except Exception as exc:
            raise CommandError(f"--batch: {' '.join(exc.messages)}") from None
        try:
            with open(path, "rb") as fh:
                kind = parsing.sniff_format(fh, path)
                headers = parsing.csv_headers(parsing.open_text(fh)) if kind == "csv" else None
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except parsing.ParseError as exc:
            raise CommandError(f"Nothing was stored. {exc}") from None

        mapping = None
        if headers is not None:
            mapping = parsing.guess_mapping(headers)
            for item in opts["map"]:
                header, _, field = item.partition("=")
                if header not in mapping:
                    raise CommandError(f"--map: no column named {header!r}")
                mapping[header] = field
            if "email" not in mapping.values():
                raise CommandError("No column maps to email; use --map 'Header=email'.")

        def open_rows():
            fh = open(path, "rb")  # noqa: SIM115 - closed by the generator below
            try:
                text = parsing.open_text(fh)
                rows = parsing.iter_csv(text, mapping) if mapping else parsing.iter_json(text)
                yield from rows
            finally:
                fh.close()

        user = getpass.getuser()
        progress = Progress(self.stdout, None, "rows stored")
        with (
            acting_as(user),
            services.pipeline_run(name=f"ingest {batch_id}", started_by=user, step="ingest") as run,
        ):
            try:
                totals = services.upload_ingest(
                    open_rows=open_rows,
                    source=opts["source"],
                    batch_id=batch_id,
                    on_progress=progress.update,
                )
            except services.IngestRefused as exc:
                raise CommandError(str(exc)) from None
            progress.close()
            run.log(totals.summary)
            for line in totals.skip_messages:
                run.log(line, "warning")
            run.finish(
                counts={
                    "rows": totals.rows,
                    "pending": totals.inserted,
                    "duplicate": totals.duplicate,
                    "skipped": totals.skipped,
                    "chunks": totals.chunks,
                }
            )
        self.stdout.write(self.style.SUCCESS(f"Batch {batch_id}: {totals.summary}."))
