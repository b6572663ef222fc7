from django.core.management.base import BaseCommand, CommandError

from intake.services import duplicates_detect
from outreach_admin.db import acting_as
from people.services import PeopleError


class Command(BaseCommand):
    help = "Find candidate duplicate people and add new pairs to the resolution queue."

    def add_arguments(self, parser):
        parser.add_argument("--actor", default="detect_duplicates", help="Acting user recorded.")

    def handle(self, *args, actor, **options):
        try:
            with acting_as(actor):
                counts = duplicates_detect(actor=actor)
        except PeopleError as exc:
            raise CommandError(str(exc)) from exc
        by_type = ", ".join(f"{k}: {v}" for k, v in sorted(counts["by_type"].items())) or "none"
        self.stdout.write(
            f"Run #{counts['cycle_id']}: {counts['candidate_pairs']} candidate pairs, "
            f"{counts['already_known']} already known, {counts['inserted']} new ({by_type})."
        )
