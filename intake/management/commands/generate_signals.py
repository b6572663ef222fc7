import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from intake.services import signals_generate
from outreach_admin.db import acting_as


class Command(BaseCommand):
    help = (
        "Add renewal_window_open_<N>d signals for companies whose renewal window is open (once "
        "per renewal cycle) and recalculate bit.company_score / bit.contact_score. Idempotent; "
        "recorded as a ple.cycle run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD); default today.")
        parser.add_argument("--actor", default="generate_signals", help="Name recorded as actor.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from None
        with acting_as(options["actor"]):
            result = signals_generate(actor=options["actor"], today=today)
        self.stdout.write(
            f"run {result.cycle_id}: {result.signals_added} signal(s) added, "
            f"{result.company_scores} company score(s), {result.contact_scores} contact score(s)"
        )
