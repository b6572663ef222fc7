"""Database plumbing shared by every app: the owner-only migration router, ``schema_table`` and
the per-transaction role and acting user.

The acting user travels to PostgreSQL through ``public.set_actor`` (outreach_admin 0050), which
sets the transaction-local ``outreach.actor`` with a seal bound to this backend and transaction;
``public.current_actor()`` (read by the history triggers and the audit rows) honours the name
only with its seal, so a plain ``SET outreach.actor`` (session-level values would leak to the
next request on a pooled connection) is ignored and the login is named instead.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections, migrations, transaction

from outreach_admin.stored_json import loads_stored

_TWIN = object()
_DURATION = re.compile(r"\d+\s*(us|ms|s|min|h|d)?")


class OwnerMigratesRouter:
    """Only a connection that logs in as the schema owner runs migrations.

    In a two-login deployment that is the "owner" alias; where one login serves both (or in
    tests, which log in as the owner and drop to the app role per transaction) "default" too.
    """

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return connections[db].settings_dict["USER"] == connections["owner"].settings_dict["USER"]


class RunSQLFile(migrations.RunSQL):
    """A migration step that runs one frozen ``.sql`` snapshot forward and another backward.

    ``reverse`` defaults to the ``<name>.reverse.sql`` twin (for genuinely different undo
    scripts: DROP ...); a step that only replaces a definition points it at the previous
    snapshot of that object instead of keeping a copy of it. ``reverse=None`` makes the step
    irreversible. The files are read when the migration module is imported, as ``RunSQL`` with
    ``read_text()`` did, so the SQL that runs is the file's bytes. See docs/SQL.md.
    """

    def __init__(self, forward: Path, reverse: Path | None = _TWIN, **kwargs):
        forward = Path(forward)
        if reverse is _TWIN:
            reverse = forward.with_name(forward.name.removesuffix(".sql") + ".reverse.sql")
        self.forward_path = forward
        self.reverse_path = Path(reverse) if reverse is not None else None
        super().__init__(
            forward.read_text(encoding="utf-8"),
            self.reverse_path.read_text(encoding="utf-8") if self.reverse_path else None,
            **kwargs,
        )

    def describe(self):
        return f"Run SQL file {self.forward_path.name}"


def schema_table(schema: str, table: str) -> str:
    """Return a ``db_table`` value that Django quotes as ``"schema"."table"``."""
    return f'{schema}"."{table}'


def set_acting_user(username: str | None, *, using: str = "default") -> None:
    """Name the acting user for the current transaction (read by the history triggers) through
    ``public.set_actor``, the only way ``public.current_actor()`` accepts; one query."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT public.set_actor(%s)", [username or ""])


def set_app_role(*, using: str = "default", statement_timeout: str | None = None) -> None:
    """Drop to the runtime role for the rest of the transaction, so RLS and grants apply.

    In the same round trip (one ``execute`` of several statements, so a request costs no extra
    query) JIT goes off unless ``DB_JIT`` and, when given, ``statement_timeout`` (a checked
    PostgreSQL duration: the request's limit) is set. All three are ``SET LOCAL``: they end with
    the transaction, so nothing leaks to the next user of a pooled connection and a transaction
    pooler needs no startup parameter.
    """
    statements = [f'SET LOCAL ROLE "{settings.DB_APP_ROLE}"']
    if not settings.DB_JIT:
        statements.append("SET LOCAL jit = off")
    if statement_timeout is not None:
        if not _DURATION.fullmatch(statement_timeout):
            raise ValueError(f"not a PostgreSQL duration: {statement_timeout!r}")
        statements.append(f"SET LOCAL statement_timeout = '{statement_timeout}'")
    with connections[using].cursor() as cursor:
        cursor.execute("; ".join(statements))


@contextmanager
def acting_as(username: str | None, *, using: str = "default"):
    """Run a block in one transaction as the runtime role, naming ``username`` as the actor.

    Management commands that act for a user wrap their work in this; web requests get the same
    from ``ActingUserMiddleware``.
    """
    with transaction.atomic(using=using):
        set_app_role(using=using)
        set_acting_user(username, using=using)
        yield


def json_rows(value, time_keys=()) -> list[dict]:
    """A jsonb array of rows as the driver returns it (text or parsed), with the ``time_keys``
    fields turned from ISO strings into datetimes (for pages that fetch panels as jsonb)."""
    rows = loads_stored(value) if isinstance(value, str) else value
    for row in rows:
        for key in time_keys:
            if row.get(key):
                row[key] = datetime.fromisoformat(row[key])
    return rows
