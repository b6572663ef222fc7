"""Fixtures and the results table of the reliability battery (see report.py)."""

import pytest
from django.db import connection
from psycopg.types.json import Jsonb

from tests.reliability.report import area_figures, print_table

# test module → area of the results table
AREA_OF_MODULE = {
    "test_db_boundary": "db boundary",
    "test_mutations": "mutations",
    "test_races": "races",
    "test_promote_race": "races",
    "test_claim_race": "races",
    "test_history_integrity": "db boundary",
    "test_ingest_limits": "db boundary",
}


@pytest.fixture
def figures(request):
    """The figures of this test's area: ``figures["cases tried"] += n`` (see report.py)."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    return area_figures(AREA_OF_MODULE.get(module, module.removeprefix("test_")))


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
    """Print the results table when any test recorded a figure (once per session)."""
    print_table(terminalreporter)
