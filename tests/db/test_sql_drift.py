"""The functions and views installed in the database are the ones the .sql files say.

Each function and view has one live file (``<app>/sql/<schema>.<object>.sql``, docs/SQL.md)
and installed = newest migration snapshot = live file: the live file's statements equal the
newest snapshot's (comments and whitespace aside), running the live file over a migrated
database changes nothing, and an installed object without a live file fails.

Every function or view stamped ``COMMENT ON FUNCTION|VIEW … IS 'vN'`` in a forward migration
script (``*/migrations/sql/*.sql``, not ``*.reverse.sql``) must be installed with that comment;
when several scripts stamp one object (a later migration replaces it), the highest version is
the one that must be installed. A stale database or an edited-in-place function shows up here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection, transaction

from tests.db.sql_snapshots import (
    code,
    dropped_objects,
    live_files,
    migration_snapshots,
    split_statements,
)

ROOT = Path(__file__).resolve().parents[2]
STAMP_RE = re.compile(
    r"COMMENT\s+ON\s+(?P<kind>FUNCTION|PROCEDURE|VIEW)\s+(?P<name>[\w.]+)\s*"
    r"(?P<args>\((?:[^()]|\([^()]*\))*\))?\s+IS\s+'(?P<version>v\d+)'",
    re.I,
)
CREATE_FN_RE = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\s+(?P<name>[\w.]+)\s*\(", re.I
)

# Functions created before the stamping rule that carry no version comment (reported; the next
# migration touching them should stamp them). New functions must not join this list.
UNSTAMPED_ALLOWED: set[str] = set()


def forward_scripts() -> list[Path]:
    return sorted(
        p for p in ROOT.glob("*/migrations/sql/*.sql") if not p.name.endswith(".reverse.sql")
    )


def without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def stamps() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(kind, name, args) → (highest version, script that stamps it)."""
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    for path in forward_scripts():
        for m in STAMP_RE.finditer(without_comments(path.read_text(encoding="utf-8"))):
            key = (m["kind"].upper(), m["name"].lower(), re.sub(r"\s+", " ", m["args"] or ""))
            version = m["version"]
            if key not in found or int(version[1:]) > int(found[key][0][1:]):
                found[key] = (version, str(path.relative_to(ROOT)))
    return found


STAMPS = stamps()
# Objects a later migration dropped for good (e.g. the four trigger_history clones that
# public.trigger_history replaced): stamped in old scripts, no longer installed.
DROPPED = dropped_objects()


def test_the_scripts_stamp_the_core_functions():
    """The parser finds the stamps (sanity: the core functions of 0001/0003 are among them)."""
    names = {name for _kind, name, _args in STAMPS}
    assert {
        "public.generate_barton_id",
        "company.classify_title",
        "company.next_renewal_date",
        "company.trigger_history",
    } <= names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "name", "args", "version"),
    [
        pytest.param(k, n, a, v, id=f"{n}{a} {v} ({src})")
        for (k, n, a), (v, src) in sorted(STAMPS.items())
        if n not in DROPPED
    ],
)
def test_installed_object_carries_the_stamped_version(kind, name, args, version):
    """The installed function/view exists and its comment equals the highest stamped version."""
    with connection.cursor() as c:
        if kind == "VIEW":
            c.execute(
                "SELECT to_regclass(%s), obj_description(to_regclass(%s), 'pg_class')", [name, name]
            )
        else:
            signature = name + args
            c.execute(
                "SELECT to_regprocedure(%s), obj_description(to_regprocedure(%s), 'pg_proc')",
                [signature, signature],
            )
        installed, comment = c.fetchone()
    assert installed is not None, f"{name}{args} is not installed"
    assert comment == version, f"{name}{args}: installed {comment!r}, scripts say {version!r}"


@pytest.mark.django_db
@pytest.mark.owner
@pytest.mark.parametrize("name", sorted(DROPPED))
def test_dropped_object_is_not_installed(name):
    """A function or view a migration dropped (and none re-created) is gone from the database."""
    assert installed_state(name) == [], f"{name} was dropped by a migration but is installed"


def test_every_function_in_the_scripts_is_stamped():
    """Every function a forward script creates carries a version stamp (known old ones aside)."""
    created = set()
    for path in forward_scripts():
        created |= {
            m["name"].lower()
            for m in CREATE_FN_RE.finditer(without_comments(path.read_text(encoding="utf-8")))
        }
    stamped = {name for kind, name, _args in STAMPS if kind != "VIEW"}
    assert sorted(created - stamped - UNSTAMPED_ALLOWED) == []
    # The allowance shrinks as functions get stamped: a stamped one must leave the list.
    assert sorted(UNSTAMPED_ALLOWED - (created - stamped)) == []


LIVE = live_files()
# Functions and views of the project's schemas (extension members such as pg_trgm's aside).
INSTALLED_SQL = """
    SELECT n.nspname || '.' || p.proname FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname IN ('public', 'company', 'people', 'marketing', 'intake', 'bit', 'vault', 'ple')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT n.nspname || '.' || c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm')
      AND n.nspname IN ('public', 'company', 'people', 'marketing', 'intake', 'bit', 'vault', 'ple')
"""
STATE_SQL = """
    SELECT pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc'), p.proacl::text
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = %(schema)s AND p.proname = %(name)s
    UNION ALL
    SELECT pg_get_viewdef(c.oid), obj_description(c.oid, 'pg_class'), c.relacl::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %(schema)s AND c.relname = %(name)s AND c.relkind IN ('v', 'm')
"""


@pytest.fixture(scope="module")
def snapshots():
    return migration_snapshots()


def installed_state(name: str) -> list[tuple]:
    schema, _, obj = name.partition(".")
    with connection.cursor() as c:
        c.execute(STATE_SQL, {"schema": schema, "name": obj})
        return c.fetchall()


def test_every_snapshotted_object_has_a_live_file(snapshots):
    """Each function/view the migrations create has a live file, and each live file an object."""
    assert sorted(set(snapshots) - set(LIVE)) == [], "objects without a live file"
    assert sorted(set(LIVE) - set(snapshots)) == [], "live files no migration creates"


@pytest.mark.django_db
@pytest.mark.owner
def test_every_installed_object_has_a_live_file():
    """A function or view installed in the project's schemas without a live file fails."""
    with connection.cursor() as c:
        c.execute(INSTALLED_SQL)
        installed = {row[0] for row in c.fetchall()}
    assert sorted(installed - set(LIVE)) == []


@pytest.mark.parametrize("name", sorted(LIVE))
def test_live_file_equals_the_newest_snapshot(name, snapshots):
    """The live file says what the newest migration snapshot of the object runs, stamp included."""
    snap = snapshots[name]
    live = [code(s) for s in split_statements(LIVE[name].read_text(encoding="utf-8"))]
    assert snap.stamp is not None, f"{name}: the newest snapshot ({snap.source}) has no stamp"
    assert live == snap.code, (
        f"{name}: {LIVE[name].relative_to(ROOT)} differs from its newest snapshot "
        f"{snap.source} ({snap.migration}); copy the live file into a new migration"
    )


@pytest.mark.django_db
@pytest.mark.owner
@pytest.mark.parametrize("name", sorted(LIVE))
def test_live_file_is_what_is_installed(name):
    """Running the live file over the migrated database changes neither definition, stamp
    nor grants (in a rolled-back savepoint), and the installed stamp is the live file's."""
    before = installed_state(name)
    assert before, f"{name}: not installed"
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute(LIVE[name].read_text(encoding="utf-8"))
        after = installed_state(name)
        transaction.set_rollback(True)
    assert after == before, f"{name}: the live file differs from the installed definition"
    stamps = [m["version"] for m in STAMP_RE.finditer(without_comments(LIVE[name].read_text()))]
    assert {state[1] for state in before} == {stamps[-1]}  # every overload stamped alike
