from django.core.management.base import BaseCommand

from companies.services import renewal_dates_roll
from outreach_admin.db import acting_as


class Command(BaseCommand):
    help = "Roll the stored renewal dates forward (run daily; pages stay correct if it has not)."

    def handle(self, *args, **options):
        with acting_as("system:roll_renewal_dates"):
            rolled = renewal_dates_roll(actor="system:roll_renewal_dates")
        self.stdout.write(f"{rolled} companies rolled forward")
