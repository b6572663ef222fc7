"""Test-wide fixtures.

Tests log in as the schema owner (so pytest-django can create, migrate and flush the test
database) and every database test then drops to the runtime role with ``SET LOCAL ROLE`` for
its whole transaction, so grants and row-level security apply exactly as in production. Mark a
test ``@pytest.mark.owner`` to keep the owner's rights (catalog checks, role switching).
"""

import pytest
from django.db import connection, connections


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """Log the default alias in as the owner for the test session (see module docstring)."""
    from django.conf import settings

    owner = settings.DATABASES["owner"]
    for target in (settings.DATABASES["default"], connections["default"].settings_dict):
        target["USER"] = owner["USER"]
        target["PASSWORD"] = owner.get("PASSWORD", "")


@pytest.fixture(autouse=True)
def _run_as_app_role(request):
    """Drop to the runtime role for the test's transaction unless marked ``owner``."""
    marker = request.node.get_closest_marker("django_db")
    wants_db = "db" in request.fixturenames or (
        marker is not None and not marker.kwargs.get("transaction", False)
    )
    if (
        not wants_db
        or "transactional_db" in request.fixturenames
        or request.node.get_closest_marker("owner")
    ):
        yield
        return
    request.getfixturevalue("db")
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{settings.DB_APP_ROLE}"')
    yield
