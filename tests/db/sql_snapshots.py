"""Read the SQL objects (functions, procedures, views) out of the migrations, in applied order.

A migration's SQL is a frozen snapshot: the newest snapshot that creates an object is the
definition a freshly migrated database holds, and the object's live file
``<app>/sql/<schema>.<object>.sql`` must say the same (docs/SQL.md). The snapshots are read from
the migration graph's ``RunSQL`` operations (``RunSQLFile`` or plain ``RunSQL``), so a new
migration in either style is seen, in dependency order rather than file-name order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("outreach_admin", "companies", "people", "marketing", "intake", "signals")

CREATE_RE = re.compile(
    r"^CREATE\s+(?:OR\s+REPLACE\s+)?(?P<kind>FUNCTION|PROCEDURE|VIEW)\s+(?P<name>[\w.\"]+)", re.I
)
# Statements that belong to an object's definition besides its CREATE: its stamp, grants,
# ownership/settings. The object name must be followed by "(" (routines) or a delimiter.
ATTACHED_RE = (
    r"^(?:COMMENT\s+ON|GRANT|REVOKE|ALTER)\b.*?\b(?:FUNCTION|PROCEDURE|VIEW|TABLE|ON)\s+"
    r"{name}(?:\s*\(|\s|;|$)"
)
DROP_RE = re.compile(
    r"^DROP\s+(?P<kind>FUNCTION|PROCEDURE|VIEW)\s+(?:IF\s+EXISTS\s+)?(?P<name>[\w.\"]+)", re.I
)
STAMP_RE = re.compile(
    r"COMMENT\s+ON\s+(?:FUNCTION|PROCEDURE|VIEW)\s.*?\sIS\s+'(v\d+)'", re.I | re.S
)


def split_statements(sql: str) -> list[str]:
    """Split a script into statements at top-level ``;`` (quotes, dollar quotes, comments kept
    inside their statement); each statement keeps the comment lines that lead it."""
    out, start, i, n = [], 0, 0, len(sql)
    while i < n:
        ch = sql[i]
        if sql.startswith("--", i):
            i = sql.find("\n", i)
            i = n if i < 0 else i
        elif sql.startswith("/*", i):
            i = sql.find("*/", i) + 2
        elif ch in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == ch and not sql.startswith(ch * 2, j):
                    break
                j += 2 if sql.startswith(ch * 2, j) else 1
            i = j + 1
        elif ch == "$" and (m := re.match(r"\$\w*\$", sql[i:])):
            tag = m.group(0)
            i = sql.find(tag, i + len(tag)) + len(tag)
        elif ch == ";":
            out.append(sql[start : i + 1].strip())
            start = i + 1
            i += 1
        else:
            i += 1
    if sql[start:].strip():
        out.append(sql[start:].strip())
    return [s for s in out if s]


def code(statement: str) -> str:
    """A statement without its comment lines, whitespace collapsed (for comparisons)."""
    lines = [ln for ln in statement.splitlines() if not ln.lstrip().startswith("--")]
    return re.sub(r"\s+", " ", "\n".join(lines)).strip()


def object_name(raw: str) -> str:
    return raw.replace('"', "").lower()


@dataclass
class Snapshot:
    """One object's definition as one migration step runs it."""

    name: str
    kind: str
    migration: str  # "app.0007_name"
    source: str  # the .sql file (RunSQLFile) or the migration module (plain RunSQL)
    statements: list[str] = field(default_factory=list)
    count: int = 1  # how many snapshots so far define the object (its history length)

    @property
    def stamp(self) -> str | None:
        found = [m for s in self.statements for m in STAMP_RE.findall(code(s))]
        return found[-1] if found else None

    @property
    def code(self) -> list[str]:
        return [code(s) for s in self.statements]


def snapshots_of(sql: str, migration: str, source: str) -> dict[str, Snapshot]:
    """The objects one script creates, each with the statements attached to it."""
    statements = split_statements(sql)
    found: dict[str, Snapshot] = {}
    for stmt in statements:
        m = CREATE_RE.match(code(stmt))
        if m:
            name = object_name(m["name"])
            if name in found:  # an overload: one object name, one live file, both statements
                found[name].statements.append(stmt)
            else:
                found[name] = Snapshot(name, m["kind"].upper(), migration, source, [stmt])
    for stmt in statements:
        body = code(stmt)
        if CREATE_RE.match(body):
            continue
        for name, snap in found.items():
            pattern = ATTACHED_RE.format(name=re.escape(name).replace(r"\.", r"\.\"?"))
            if re.match(pattern, body.replace('"', ""), re.I):
                snap.statements.append(stmt)
    return found


def _sql_operations(operations):
    """The RunSQL steps of a migration, including those inside SeparateDatabaseAndState."""
    from django.db.migrations import RunSQL, SeparateDatabaseAndState

    for op in operations:
        if isinstance(op, SeparateDatabaseAndState):
            yield from _sql_operations(op.database_operations)
        elif isinstance(op, RunSQL):
            yield op


def dropped_by(sql: str) -> set[str]:
    """The objects a script drops and does not create again (a DROP before a CREATE of the same
    name is a re-creation, e.g. for a changed signature)."""
    statements = [code(s) for s in split_statements(sql)]
    created = {object_name(m["name"]) for s in statements if (m := CREATE_RE.match(s))}
    return {object_name(m["name"]) for s in statements if (m := DROP_RE.match(s))} - created


def migration_snapshots() -> dict[str, Snapshot]:
    """Object name → its newest snapshot, walking every migration in the graph's order; an
    object a later migration drops (and does not re-create) leaves the map."""
    return _walk()[0]


def dropped_objects() -> set[str]:
    """Objects some migration created and a later one dropped for good (not installed)."""
    return _walk()[1]


def _walk() -> tuple[dict[str, Snapshot], set[str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = (
        loader.graph.forwards_plan_for_all()
        if hasattr(loader.graph, "forwards_plan_for_all")
        else None
    )
    if plan is None:
        plan = []
        for leaf in loader.graph.leaf_nodes():
            plan += [n for n in loader.graph.forwards_plan(leaf) if n not in plan]
    newest: dict[str, Snapshot] = {}
    dropped: set[str] = set()
    for key in plan:
        if key[0] not in APPS:
            continue
        migration = loader.graph.nodes[key]
        for op in _sql_operations(migration.operations):
            sql = op.sql if isinstance(op.sql, str) else "\n".join(op.sql)
            path = getattr(op, "forward_path", None)
            source = (
                str(Path(path).relative_to(ROOT)) if path else f"{key[0]}/migrations/{key[1]}.py"
            )
            for name, snap in snapshots_of(sql, f"{key[0]}.{key[1]}", source).items():
                snap.count = newest[name].count + 1 if name in newest else 1
                newest[name] = snap
                dropped.discard(name)
            for name in dropped_by(sql) & set(newest):
                del newest[name]
                dropped.add(name)
    return newest, dropped


def live_path(name: str, app: str) -> Path:
    return ROOT / app / "sql" / f"{name}.sql"


def live_files() -> dict[str, Path]:
    """Object name → its live file (``<app>/sql/<schema>.<object>.sql``)."""
    return {p.stem.lower(): p for app in APPS for p in sorted((ROOT / app / "sql").glob("*.sql"))}
