"""``manage.py ensure_demo_login``: the demo accounts with their well-known passwords.

Creates (or resets the password of) ``demo`` in the coordinator group, ``viewer`` in the
read-only viewer group and the superuser ``admin``, and prints where to sign in (``--url``:
``make run`` passes the host and port it serves on). Known passwords are only acceptable on a
developer's machine, so the command refuses unless ``DEBUG`` is on or ``--force`` is given.
"""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from outreach_admin.db import acting_as

DEMO_USER, DEMO_PASSWORD = "demo", "demo-outreach-2026"
VIEWER_USER, VIEWER_PASSWORD = "viewer", "viewer-outreach-2026"
ADMIN_USER, ADMIN_PASSWORD = "admin", "admin-outreach-2026"
BASE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Create or reset the demo logins (coordinator, viewer) and the admin superuser "
        "(DEBUG only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create the accounts even with DEBUG off (never on a reachable server).",
        )
        parser.add_argument(
            "--url",
            default=BASE_URL,
            help=f"Where the app is served, for the printed sign-in lines (default {BASE_URL}).",
        )

    def handle(self, *args, force, url, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "Refusing to create accounts with well-known passwords while DEBUG is off. "
                "Set DJANGO_DEBUG=true on a development machine, or pass --force if you really "
                "mean it; on a real server create users with `manage.py createsuperuser`."
            )
        with acting_as("ensure_demo_login"):
            try:
                coordinator = Group.objects.get(name="coordinator")
                viewer = Group.objects.get(name="viewer")
            except Group.DoesNotExist as exc:
                raise CommandError(
                    "Group 'coordinator' or 'viewer' is missing: run "
                    "`manage.py migrate --database owner`."
                ) from exc
            _ensure_user(DEMO_USER, DEMO_PASSWORD).groups.set([coordinator])
            _ensure_user(VIEWER_USER, VIEWER_PASSWORD).groups.set([viewer])
            _ensure_user(ADMIN_USER, ADMIN_PASSWORD, superuser=True)
        url = url if url.endswith("/") else url + "/"
        self.stdout.write(f"Demo login: {url}  user: {DEMO_USER}  password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Viewer login (read-only): {url}  user: {VIEWER_USER}  password: {VIEWER_PASSWORD}"
        )
        self.stdout.write(
            f"Admin login: {url}admin/  user: {ADMIN_USER}  password: {ADMIN_PASSWORD}"
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
