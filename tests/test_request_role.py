"""The web request path runs as the non-owner runtime role, and that role is powerless.

Marked ``owner`` so the test fixture does not switch role first: whatever role the request
path ends up in is the middleware's doing.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import JsonResponse
from django.test import RequestFactory

from outreach_admin.middleware import ActingUserMiddleware
from tests import builders

APP_SCHEMAS = ["company", "people", "marketing", "intake", "vault", "ple", "bit", "public"]

pytestmark = [pytest.mark.owner, pytest.mark.django_db]


def _identity(_request):
    with connection.cursor() as c:
        c.execute(
            "SELECT current_user::text, r.rolsuper, r.rolbypassrls, "
            "current_setting('outreach.actor'), public.current_actor() "
            "FROM pg_roles r WHERE r.rolname = current_user"
        )
        return JsonResponse({"row": list(c.fetchone())})


def _through_middleware(user):
    request = RequestFactory().get("/companies/")
    request.user = user
    response = ActingUserMiddleware(_identity)(request)
    return tuple(json.loads(response.content)["row"])


def test_request_runs_as_app_role_naming_the_user():
    """A signed-in request runs as outreach_app (not superuser, no BYPASSRLS) acting as the user."""
    with connection.cursor() as c:
        c.execute("SELECT current_user")
        assert c.fetchone()[0] != "outreach_app"  # the test itself logs in as the owner
    alice = builders.user("alice")
    assert _through_middleware(alice) == ("outreach_app", False, False, "alice", "alice")


def test_anonymous_request_runs_as_app_role_without_actor():
    """An anonymous request (login page) also runs as outreach_app, acting as "anonymous"."""
    assert _through_middleware(AnonymousUser()) == (
        "outreach_app",
        False,
        False,
        "anonymous",
        "anonymous",
    )


def _login_as_app_role():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"],
        port=settings.get("PORT") or None,
        user="outreach_app",
    )


def test_app_role_logs_in_and_is_powerless():
    """outreach_app logs in directly, is no superuser, has no BYPASSRLS/CREATEROLE/CREATEDB."""
    with _login_as_app_role() as conn:
        row = conn.execute(
            "SELECT current_user::text, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, "
            "rolreplication, pg_has_role(current_user, 'pg_write_all_data', 'MEMBER') "
            "FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert row == ("outreach_app", False, False, False, False, False, False)


def test_app_role_owns_nothing_in_the_app_schemas():
    """outreach_app owns no table, view, sequence, function or schema of the app (so RLS binds)."""
    with _login_as_app_role() as conn:
        tables = conn.execute(
            "SELECT schemaname || '.' || tablename FROM pg_tables "
            "WHERE tableowner = 'outreach_app' AND schemaname = ANY(%s)",
            [APP_SCHEMAS],
        ).fetchall()
        relations = conn.execute(
            "SELECT c.oid::regclass::text FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relowner = 'outreach_app'::regrole AND n.nspname = ANY(%s)",
            [APP_SCHEMAS],
        ).fetchall()
        functions = conn.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proowner = 'outreach_app'::regrole AND n.nspname = ANY(%s)",
            [APP_SCHEMAS],
        ).fetchall()
        schemas = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspowner = 'outreach_app'::regrole"
        ).fetchall()
        # Sanity: the login really sees the app's tables.
        assert conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'company'"
        ).fetchone()[0]
    assert (tables, relations, functions, schemas) == ([], [], [], [])
