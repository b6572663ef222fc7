"""Every migration runs backwards and forwards, and the models match the migrations.

This runs ``manage.py`` in subprocesses against a throwaway database of its own
(``EMBEDDED_DB_NAME=test_outreach_migr_<pid>``; settings create it on the embedded server when
missing), so reversing migrations never touches the shared test database. The throwaway
database is dropped at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.apps import apps

from outreach_admin.embedded_db import socket_host

ROOT = Path(__file__).resolve().parents[2]
THROWAWAY = f"test_outreach_migr_{os.getpid()}"
PROJECT_APPS = ["outreach_admin", "companies", "people", "marketing", "intake", "signals"]
# Reverse dependency order: the apps that depend on others are unapplied first.
REVERSE_ORDER = [
    "outreach_admin",
    "signals",
    "intake",
    "marketing",
    "people",
    "companies",
    "admin",
    "sessions",
    "auth",
    "contenttypes",
]

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def manage(*commands: list[str], db: str = THROWAWAY) -> str:
    """Run manage.py commands (one process each) on the throwaway database; return the output."""
    env = {
        **os.environ,
        "EMBEDDED_DB_NAME": db,
        "DATABASE_URL": "",  # always the embedded server, never a configured real database
        "DATABASE_OWNER_URL": "",
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "outreach_admin.settings",
    }
    env.pop("TEST_DB_SUFFIX", None)
    out = []
    for args in commands:
        proc = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        out.append(proc.stdout + proc.stderr)
        assert proc.returncode == 0, f"manage.py {' '.join(args)} failed:\n{out[-1]}"
    return "\n".join(out)


def host() -> str:
    return socket_host(ROOT / "var" / "pgdata", "postgres")


def query(sql: str, params=None) -> list[tuple]:
    with psycopg.connect(host=host(), dbname=THROWAWAY, user="postgres") as conn:
        return conn.execute(sql, params).fetchall()


def app_tables(label: str) -> list[str]:
    """The app's model tables as schema-qualified names (``company"."company`` style)."""
    tables = []
    for model in apps.get_app_config(label).get_models():
        table = model._meta.db_table
        tables.append(table.replace('"."', ".") if '"."' in table else f"public.{table}")
    return tables


def existing(tables: list[str]) -> list[str]:
    rows = query("SELECT t FROM unnest(%s::text[]) t WHERE to_regclass(t) IS NOT NULL", [tables])
    return [r[0] for r in rows]


def _admin(sql: str) -> None:
    with psycopg.connect(host=host(), dbname="postgres", user="postgres", autocommit=True) as c:
        c.execute(sql)


@pytest.fixture(scope="module")
def template():
    """A database migrated forward once, used as the template of each test's throwaway copy."""
    name = f"{THROWAWAY}_tpl"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        manage(["migrate", "--database", "owner", "--no-input"], db=name)
        yield name
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def migrated(template):
    """A fresh, fully migrated throwaway database for one test; dropped afterwards."""
    _admin(f'DROP DATABASE IF EXISTS "{THROWAWAY}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{THROWAWAY}" TEMPLATE "{template}"')
    try:
        yield
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{THROWAWAY}" WITH (FORCE)')


def assert_fully_migrated() -> None:
    manage(["migrate", "--check", "--database", "owner", "--no-input"])
    for label in PROJECT_APPS:
        tables = app_tables(label)
        assert existing(tables) == tables, label


@pytest.mark.parametrize(
    "label",
    PROJECT_APPS,
)
def test_app_migrates_to_zero_and_back(migrated, label):
    """`migrate <app> zero` removes the app's tables and `migrate` brings everything back."""
    manage(["migrate", label, "zero", "--database", "owner", "--no-input"])
    assert existing(app_tables(label)) == []
    assert query("SELECT count(*) FROM django_migrations WHERE app = %s", [label]) == [(0,)]
    manage(["migrate", "--database", "owner", "--no-input"])
    assert_fully_migrated()


def test_full_cycle_all_apps_to_zero_and_forward(migrated):
    """All apps to zero in reverse order leaves no app table or function; migrate rebuilds all."""
    manage(
        *[
            ["migrate", label, "zero", "--database", "owner", "--no-input"]
            for label in REVERSE_ORDER
        ]
    )
    for label in PROJECT_APPS:
        assert existing(app_tables(label)) == [], label
    leftovers = query(
        "SELECT n.nspname || '.' || p.proname FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname IN ('company', 'people', 'marketing', 'intake', 'vault', 'ple', 'bit') "
        "UNION ALL SELECT schemaname || '.' || viewname FROM pg_views "
        "WHERE schemaname IN ('company', 'people', 'marketing', 'intake', 'vault', 'ple', 'bit')"
    )
    assert leftovers == []
    manage(["migrate", "--database", "owner", "--no-input"])
    assert_fully_migrated()
    # A second forward run is a no-op (idempotent).
    assert "No migrations to apply" in manage(["migrate", "--database", "owner", "--no-input"])


def test_models_and_migrations_agree(migrated):
    """`makemigrations --check --dry-run` finds no model change without a migration."""
    out = manage(["makemigrations", "--check", "--dry-run", "--no-input"])
    assert "No changes detected" in out
