"""The functions and views installed in the database are the ones the .sql files say.

Every function or view stamped ``COMMENT ON FUNCTION|VIEW … IS 'vN'`` in a forward migration
script (``*/migrations/sql/*.sql``, not ``*.reverse.sql``) must be installed with that comment;
when several scripts stamp one object (a later migration replaces it), the highest version is
the one that must be installed. A stale database or an edited-in-place function shows up here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection

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
UNSTAMPED_ALLOWED = {
    "company.trigger_company_domain",
    "company.trigger_slot_fill",
    "people.trigger_contact_normalize",
}


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
