"""``manage.py ensure_demo_login``: the demo accounts with their well-known passwords.

Creates (or resets the password of) ``demo`` in the coordinator group and the superuser
``admin``. Known passwords are only acceptable on a developer's machine, so the command refuses
unless ``DEBUG`` is on or ``--force`` is given.
"""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from outreach_admin.db import acting_as

DEMO_USER, DEMO_PASSWORD = "demo", "demo-outreach-2026"
ADMIN_USER, ADMIN_PASSWORD = "admin", "admin-outreach-2026"
BASE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Create or reset the demo login (coordinator) and the admin superuser (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create the accounts even with DEBUG off (never on a reachable server).",
        )

    def handle(self, *args, force, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "Refusing to create accounts with well-known passwords while DEBUG is off. "
                "Set DJANGO_DEBUG=true on a development machine, or pass --force if you really "
                "mean it; on a real server create users with `manage.py createsuperuser`."
            )
        with acting_as("ensure_demo_login"):
            try:
                coordinator = Group.objects.get(name="coordinator")
            except Group.DoesNotExist as exc:
                raise CommandError(
                    "Group 'coordinator' is missing: run `manage.py migrate --database owner`."
                ) from exc
            demo = _ensure_user(DEMO_USER, DEMO_PASSWORD)
            demo.groups.add(coordinator)
            _ensure_user(ADMIN_USER, ADMIN_PASSWORD, superuser=True)
        self.stdout.write(f"Demo login: {BASE_URL}  user: {DEMO_USER}  password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Admin login: {BASE_URL}admin/  user: {ADMIN_USER}  password: {ADMIN_PASSWORD}"
        )


def _ensure_user(username: str, password: str, *, superuser: bool = False) -> User:
    """Create ``username`` or bring it back to a usable state with ``password``."""
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_active = True
    if superuser:
        user.is_staff = user.is_superuser = True
    user.save()
    return user
