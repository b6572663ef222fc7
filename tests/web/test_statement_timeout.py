"""Per-request statement_timeout and JIT (issue 18): both are SET LOCAL in the request's
transaction, in the same round trip as the role switch; a statement cancelled by the timeout
answers the 503 page (no traceback), rolls the request back and leaves the connection usable;
the connection's session settings are never touched (a transaction pooler needs no startup
parameter). Requests here answer 503 on purpose, so this module is not a counted area of the
web battery; it records its own figures under "bounded requests"."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from outreach_admin.db import acting_as, set_app_role
from outreach_admin.middleware import ActingUserMiddleware
from tests.reliability.report import record

URLS = "tests.web.test_statement_timeout"


def _sleep(request):
    Group.objects.create(name="written-before-the-timeout")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("s", "0"))])
    return HttpResponse("slept")


def _settings(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('statement_timeout'), current_user"
        )
        jit, timeout, role = cursor.fetchone()
    return JsonResponse({"jit": jit, "statement_timeout": timeout, "role": role})


# Under a public prefix (LoginRequiredMiddleware lets /healthz… through), so no user or session
# row is committed: these tests run outside the test transaction, as production requests do.
urlpatterns = [
    path("intake/api/test-sleep", _sleep),
    path("healthz-test/sleep/", _sleep),
    path("healthz-test/settings/", _settings),
    path("", include("outreach_admin.urls")),
]


def _session(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.fixture
def real_transactions(django_db_setup, django_db_blocker):
    """The test database with no test transaction around the requests: the middleware's
    transaction is the outermost one (BEGIN … ROLLBACK/COMMIT), as in production."""
    with django_db_blocker.unblock():
        try:
            yield Client(raise_request_exception=False)
        finally:
            Group.objects.filter(name="written-before-the-timeout").delete()
            connection.close()


@pytest.mark.urls(URLS)
def test_a_statement_past_the_timeout_answers_503_and_the_connection_lives_on(
    real_transactions, settings
):
    """pg_sleep(2) under a 200 ms limit: the 503 page (readable, no traceback), the write before
    it rolled back, and the next request on the same connection answers normally."""
    client = real_transactions
    settings.DB_STATEMENT_TIMEOUT = "200ms"
    session_timeout = _session("statement_timeout")
    response = client.get("/healthz-test/sleep/", {"s": "2"})
    assert response.status_code == 503
    body = response.content.decode()
    assert "This page took too long" in body
    assert "200ms" in body
    for leak in ("Traceback", "QueryCanceled", "canceling statement", "pg_sleep"):
        assert leak not in body, leak
    assert not Group.objects.filter(name="written-before-the-timeout").exists()
    # The same connection: the session is untouched and a request under the limit works.
    assert _session("statement_timeout") == session_timeout
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    settings.DB_STATEMENT_TIMEOUT = "5s"
    assert client.get("/healthz-test/settings/").status_code == 200
    settings.DB_STATEMENT_TIMEOUT = "200ms"
    response = client.get("/intake/api/test-sleep", {"s": "2"})  # the worker API: JSON
    assert response.status_code == 503
    assert response.json() == {"message": "Took too long: stopped after 200ms."}
    record("bounded requests", "statement timeouts answered 503")


@pytest.mark.urls(URLS)
def test_jit_is_off_and_the_timeout_set_inside_a_request_only(real_transactions, settings):
    """Inside a request: JIT off, the configured timeout, the app role. After it the session's
    own jit and statement_timeout are what they were (SET LOCAL, no startup "options")."""
    client = real_transactions
    settings.DB_STATEMENT_TIMEOUT = "45s"
    assert "options" not in connection.settings_dict["OPTIONS"]
    session = {name: _session(name) for name in ("jit", "statement_timeout")}
    inside = client.get("/healthz-test/settings/").json()
    assert inside == {"jit": "off", "statement_timeout": "45s", "role": "outreach_app"}
    assert {name: _session(name) for name in session} == session
    settings.DB_JIT = True  # leave the server's setting alone
    assert client.get("/healthz-test/settings/").json()["jit"] == session["jit"]


@pytest.mark.owner
@pytest.mark.django_db
def test_the_request_settings_cost_no_extra_query():
    """Role, JIT and timeout go in one statement: a request's transaction opens with two queries
    (that one and the acting user), as before the timeout and the SET LOCAL jit existed."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        ActingUserMiddleware(lambda _request: HttpResponse("ok"))(request)
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 2, sql
    assert "SET LOCAL ROLE" in sql[0]
    assert "SET LOCAL jit = off" in sql[0]
    assert "SET LOCAL statement_timeout = '30s'" in sql[0]


@pytest.mark.owner
@pytest.mark.django_db
def test_commands_get_jit_off_but_no_statement_timeout():
    """acting_as (management commands, seeds, benchmarks) turns JIT off like a request but sets
    no statement_timeout: a long command is not cut at the web limit."""
    session_timeout = _session("statement_timeout")
    with acting_as("timeout-test"):
        assert _session("jit") == "off"
        assert _session("statement_timeout") == session_timeout


@pytest.mark.owner
@pytest.mark.django_db
@pytest.mark.parametrize("value", ["30s; RESET ROLE", "1 week", "'5s'", "-1s", ""])
def test_a_timeout_that_is_not_a_duration_is_refused(value):
    """The timeout is spliced into SQL, so anything but digits and a unit is refused."""
    with pytest.raises(ValueError):
        set_app_role(statement_timeout=value)
