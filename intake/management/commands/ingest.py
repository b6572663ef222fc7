"""``manage.py ingest FILE --source S --batch B [--preset auto|apollo|hubspot|apify|generic]``:
stream a JSON/JSON-lines/CSV file into ``intake.raw_loads`` through ``intake.f_ingest_json``,
mapped by the vendor preset (``intake.presets``) and normalised (``"_norm"``), validated whole
before anything is stored. Shows a progress bar (rows, rate, ETA) on a terminal.

The mapping saved on the upload page for the source and preset (``intake.saved_mapping``) is
applied like there: its columns keep their saved field, new columns the preset's default;
``--map`` overrides it, ``--no-saved-mapping`` ignores it.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intake import parsing, presets, selectors, services
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
            help="map a CSV header or JSON path to a raw field (repeatable); others are guessed",
        )
        parser.add_argument(
            "--preset",
            default="auto",
            choices=[p for p, _ in presets.PRESET_CHOICES],
            help="vendor export format (default: detected from the columns)",
        )
        parser.add_argument(
            "--no-saved-mapping",
            action="store_true",
            help="ignore the mapping saved on the upload page for this source and preset",
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
                columns, _ = presets.read_columns(fh, kind)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except parsing.ParseError as exc:
            raise CommandError(f"Nothing was stored. {exc}") from None

        preset = opts["preset"]
        if preset == "auto":
            preset = presets.detect_preset(columns)
        if kind == "json" and preset == "generic" and not parsing.needs_mapping(columns):
            mapping = None  # rows already use the raw field names: kept as they are
        else:
            mapping = presets.guess_mapping(columns, preset)
            if not opts["no_saved_mapping"]:
                mapping = self._saved(mapping, columns, opts["source"], preset)
            for item in opts["map"]:
                header, _, field = item.partition("=")
                if header not in mapping:
                    raise CommandError(f"--map: no column named {header!r}")
                mapping[header] = field
            if kind == "csv" and "email" not in mapping.values():
                raise CommandError("No column maps to email; use --map 'Header=email'.")
        self.stdout.write(f"{kind.upper()} file, preset {preset}.")

        refused: dict = {}
        progress = Progress(self.stdout, None, "rows checked")
        passes = []

        def open_rows():
            passes.append(1)
            if len(passes) == 2:
                progress.restart("rows stored", progress.done)
            fh = open(path, "rb")  # noqa: SIM115 - closed by the generator below
            counting, number = len(passes) == 1, 0
            try:
                rows = presets.open_prepared(
                    fh, kind, mapping, preset=preset, refused=refused, normalise=not counting
                )
                for number, row in enumerate(rows, 1):
                    if counting and not number % 1000:
                        progress.update(number)
                    yield row
                if counting:
                    progress.update(number)
            finally:
                fh.close()

        user = getpass.getuser()
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
            for number in sorted(refused)[: services.SKIP_MESSAGES_KEPT]:
                run.log(refused[number], "warning")
                self.stderr.write(refused[number])
            if len(refused) > services.SKIP_MESSAGES_KEPT:
                more = f"…and {len(refused) - services.SKIP_MESSAGES_KEPT} more rows refused."
                run.log(more, "warning")
                self.stderr.write(more)
            for line in totals.skip_messages:
                number = line.removeprefix("row ").partition(" ")[0]
                if not (number.isdigit() and int(number) in refused):
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

    def _saved(self, mapping, columns, source, preset):
        """``mapping`` with the saved mapping of ``source`` and ``preset`` laid over it, saying
        so in one line (unchanged when none is saved)."""
        with acting_as(getpass.getuser()):
            saved = selectors.saved_mapping(source=source, preset=preset)
        if saved is None:
            return mapping
        mapping, fallback = presets.apply_saved_mapping(columns, preset, saved.mapping)
        day = timezone.localtime(saved.updated_at)
        new = f"; {len(fallback)} new columns keep the preset's default" if fallback else ""
        self.stdout.write(
            f"Using the mapping saved for {source} ({preset}) by {saved.updated_by} on "
            f"{day.day} {day:%b %Y}{new} (--no-saved-mapping ignores it)."
        )
        return mapping
