"""Fixtures and the results table of the reliability battery (see report.py)."""

import pytest
from django.db import connection
from psycopg.types.json import Jsonb

from tests.reliability.report import figures_for, render


@pytest.fixture
def figures(request):
    """The session's figure counter: ``figures["cases tried"] += n``."""
    request.config._reliability_ran = True
    return figures_for(request.config)


@pytest.fixture(scope="session")
def committed_db(request, django_db_setup, django_db_blocker):
    """The test database for harnesses that commit through their own connections.

    pytest-django creates test databases only for the aliases that collected tests request
    through ``db``/``django_db``; a session of committing harnesses alone would otherwise run
    (and commit) against the development database. Creates and later drops it in that case.
    """
    from django.test.utils import setup_databases, teardown_databases

    if not connection.settings_dict["NAME"].startswith("test_"):
        with django_db_blocker.unblock():
            config = setup_databases(verbosity=0, interactive=False, aliases={"default"})

        def drop():
            with django_db_blocker.unblock():
                teardown_databases(config, verbosity=0)

        request.addfinalizer(drop)
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]


@pytest.fixture
def seeded(db):
    """Rows in raw_loads, vault.contacts and audit_log, written the only legal way (the app role
    through the definer functions) inside the test's transaction; the role is the owner again
    afterwards."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE outreach_app")
        cursor.execute(
            "SELECT * FROM intake.f_ingest_json(%s::jsonb[], 'reliability', 'rel-seed')",
            [
                [
                    Jsonb({"email": "one@rel-seed.example", "name": "One"}),
                    Jsonb({"email": "two@rel-seed.example", "name": "Two"}),
                ]
            ],
        )
        cursor.execute("SELECT * FROM vault.f_promote_contacts(NULL)")
        cursor.execute("RESET ROLE")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the figures table when any reliability test ran in this session."""
    if not getattr(config, "_reliability_ran", False):
        return
    for line in render(figures_for(config)):
        terminalreporter.write_line(line)
