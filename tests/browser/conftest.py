"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download does not work here, so the system Chromium is launched by path
(``apt-get install chromium``). Playwright's sync API runs an event loop in the test thread, which
makes Django refuse synchronous ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it is set at
import time, before any test touches the database.

Committed data without a flush: the live server runs in another thread with its own connection,
so it only sees committed rows, which is why pytest-django ties ``live_server`` to
``transactional_db``. Its teardown is Django's flush (TRUNCATE of the public tables), which this
schema layout refuses: tables in other schemas reference ``auth_user``. So, like
tests/companies/test_race.py, the browser tests commit for real and clean up after themselves:
``transactional_db`` is overridden for this folder. Its teardown empties again every table (in
any schema) that was empty before the test, removes the test's users and sessions from tables
that were not, and fails the test if any table still has more rows than before it. Nothing else
may request ``db`` here (``django_user_model`` does), or pytest-django's flush comes back.
"""

import os
from pathlib import Path

import pytest
from django.db import connection, transaction

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

USERNAME = "coordinator"
PASSWORD = "demo-pass-123"


def _row_counts():
    """{table oid: (qualified name, row count)} for every ordinary table in every schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 2"
        )
        tables = cursor.fetchall()
        counts = {}
        for oid, name in tables:
            cursor.execute(f"SELECT count(*) FROM {name}")  # quoted by quote_ident above
            counts[oid] = (name, cursor.fetchone()[0])
    return counts


def _empty_again(before):
    """Truncate the tables that were empty before the test and are not now.

    TRUNCATE ... CASCADE also empties every table that references them; that is only done when
    each such table is empty now or was empty before, so no row that predates the test is lost.
    The other targets are left to the fixture's row-by-row deletes.
    """
    now = _row_counts()
    targets = [oid for oid, (_, count) in now.items() if count and not before.get(oid, ("", 0))[1]]
    if not targets:
        return
    with connection.cursor() as cursor:
        # A target whose CASCADE would reach a table with older rows (auth_user is referenced by
        # the built-in saved views) is left to the row-by-row deletes of the fixture; the final
        # "grown" check still fails the test if anything is left behind.
        safe = []
        for oid in targets:
            cursor.execute(
                "WITH RECURSIVE closure(oid) AS (SELECT %s::oid"
                " UNION SELECT con.conrelid FROM pg_constraint con"
                " JOIN closure ON con.confrelid = closure.oid WHERE con.contype = 'f')"
                " SELECT oid FROM closure",
                [oid],
            )
            closure = [row[0] for row in cursor.fetchall()]
            if not any(c in now and now[c][1] and before.get(c, ("", 0))[1] for c in closure):
                safe.append(oid)
        if safe:
            names = ", ".join(now[oid][0] for oid in safe)
            cursor.execute(f"TRUNCATE {names} CASCADE")


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker):
    """Database access with committed rows, cleaned up afterwards (see the module docstring)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    user_model = get_user_model()
    with django_db_blocker.unblock():
        before = _row_counts()
        last_user = user_model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        old_sessions = set(Session.objects.values_list("session_key", flat=True))
        try:
            yield
        finally:
            with transaction.atomic():
                _empty_again(before)
                # Tables that already had rows: remove this test's users and sessions by key.
                user_model.objects.filter(pk__gt=last_user).delete()
                Session.objects.exclude(session_key__in=old_sessions).delete()
            grown = {
                name: (before.get(oid, ("", 0))[1], count)
                for oid, (name, count) in _row_counts().items()
                if count > before.get(oid, ("", 0))[1]
            }
            connection.close()
        assert not grown, f"browser test left rows behind (table: before, after): {grown}"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    """A fresh browser tab; the test fails on any JavaScript error or CSP violation in it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, problems


def screenshot(page, name):
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png; return the path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server, username=USERNAME, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


@pytest.fixture
def coordinator(transactional_db):
    """The signed-in user. (Not via pytest-django's ``django_user_model``: that fixture requests
    ``db``, which would bring back the TransactionTestCase flush this folder avoids.)"""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username=USERNAME, password=PASSWORD, first_name="Casey", last_name="Coordinator"
    )


@pytest.fixture
def signed_in_page(page, live_server, coordinator):
    sign_in(page, live_server)
    assert "/accounts/login/" not in page.url, "sign-in through the login form failed"
    return page
