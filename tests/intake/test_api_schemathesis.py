"""Worker API against its published OpenAPI document: schemathesis-generated requests, valid and
invalid, with and without a token, never get a server error and only get documented answers.

The schema is fetched from the running Django app (``/intake/api/openapi.json``) through its
WSGI handler, so requests go through the real middleware (one transaction per request as the app
role) inside the test's transaction.
"""

import datetime as dt
import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from intake import services
from intake.models import ActorUsageLog, WorkerToken
from intake.openapi import document
from outreach_admin.wsgi import application
from tests import builders as b

MAX_EXAMPLES = 50
OPERATIONS = [
    "/claim",
    "/results/company",
    "/results/profile",
    "/results/email",
    "/results/linkedin-job",
    "/results/actor-usage",
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _token(name: str, kind: str) -> str:
    row, token = services.worker_token_create(name=name, kind=kind, actor="test")
    # Hundreds of generated calls in one minute must not all end as 429.
    WorkerToken.objects.filter(pk=row.pk).update(rate_limit_per_minute=1_000_000)
    return token


@pytest.fixture
def wsgi_keeps_connection():
    """Keep the test's connection open across WSGI requests, as Django's test client does: the
    real handler's ``close_old_connections`` would close it inside the test transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api(db, wsgi_keeps_connection):
    """The schema loaded from the app, a scraper and a verifier token, and due queue items."""
    for n in range(3):
        company = b.company(
            f"Schema Co {n}",
            website_url=f"https://schema{n}.example",
            linkedin_url=f"https://www.linkedin.com/company/schema{n}",
        )
        b.contact(
            f"Schema Person {n}",
            company=company,
            email=f"person{n}@schema{n}.example",
            linkedin_url=f"https://www.linkedin.com/in/schema-person-{n}",
        )
    schema = schemathesis.openapi.from_wsgi("/intake/api/openapi.json", application)
    tokens = {
        "scraper": _token("schema-scraper", "scraper"),
        "verifier": _token("schema-v", "verifier"),
    }
    return schema, tokens


def _run(schema, path, mode, headers, checks, examples=MAX_EXAMPLES):
    strategy = schema[path]["POST"].as_strategy(generation_mode=mode)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, checks=checks)

    check()


def test_published_document_is_the_generated_one(db, client):
    """The served OpenAPI document is exactly the one generated from the request forms."""
    response = client.get("/intake/api/openapi.json")
    assert response.status_code == 200
    assert response.json() == document()


def test_document_is_valid_openapi_31_with_every_operation(api):
    """The published document loads as OpenAPI 3.1 and lists every worker API operation."""
    schema, _ = api
    loaded = {op.ok().path for op in schema.get_all_operations()}
    assert loaded == set(OPERATIONS)


@pytest.mark.parametrize("path", OPERATIONS)
@pytest.mark.parametrize("kind", ["scraper", "verifier"])
def test_valid_payloads_get_no_server_error(api, path, kind):
    """Schema-valid requests with a token answer a documented status, never a 5xx."""
    schema, tokens = api
    headers = {"Authorization": f"Bearer {tokens[kind]}"}
    _run(schema, path, GenerationMode.POSITIVE, headers, CHECKS)


@pytest.mark.parametrize("path", OPERATIONS)
def test_invalid_payloads_are_rejected_without_server_error(api, path):
    """Schema-invalid requests with a token get a documented 4xx, never a 5xx or a 2xx."""
    schema, tokens = api
    headers = {"Authorization": f"Bearer {tokens['scraper']}"}
    _run(schema, path, GenerationMode.NEGATIVE, headers, [*CHECKS, negative_data_rejection])


@pytest.mark.parametrize("path", OPERATIONS)
@pytest.mark.parametrize("authorization", [None, "Bearer wk_not-a-token", "Basic d29ya2VyOng="])
def test_requests_without_a_valid_token_are_401(api, path, authorization, settings):
    """Whatever the body, a missing, unknown or non-bearer token gets a documented 401 (the
    per-address throttle of wrong tokens, tests/web/test_worker_token_throttle.py, is lifted
    for these 20 requests)."""
    settings.WORKER_AUTH_FAILURES_PER_MINUTE = 1000
    schema, _ = api
    headers = {"Authorization": authorization} if authorization else {}

    def is_401(ctx, response, case):
        assert response.status_code == 401, response.text
        headers = {name.lower(): values for name, values in response.headers.items()}
        assert headers["www-authenticate"][0].startswith("Bearer")

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        _run(schema, path, mode, headers, [*CHECKS, is_401], examples=10)


def _post(client, token, path, payload):
    return client.post(
        f"/intake/api/{path}",
        json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_offset_beyond_postgres_range_is_stored_in_utc(client, db):
    """Found by schemathesis: an offset like +16:08 (valid RFC 3339, out of PostgreSQL's range)
    was a 500; it is now normalised to UTC and recorded."""
    token = _token("usage", "scraper")
    response = _post(
        client,
        token,
        "results/actor-usage",
        {
            "actor_id": "a",
            "run_id": "r",
            "status": "SUCCEEDED",
            "started_at": "2026-01-01T10:00:00+16:08",
        },
    )
    assert response.status_code == 201, response.content
    row = ActorUsageLog.objects.get(pk=response.json()["log_id"])
    assert row.started_at == dt.datetime(2025, 12, 31, 17, 52, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("started_at", ["2026-01-01T10:00:00Z"], "Must be a string."),
        ("started_at", {"at": 1}, "Must be a string."),
        ("error_message", -5158, "Must be a string."),
        ("actor_id", ["a"], "Must be a string."),
        ("compute_units", "1.5", "Must be a number."),
        ("compute_units", True, "Must be a number."),
    ],
)
def test_wrong_json_type_is_400_and_writes_nothing(client, db, field, value, message):
    """Found by schemathesis: a JSON array for a date-time was a 500 and a number for a text
    field was silently stored as text; both are now a 400 naming the field, nothing written."""
    token = _token("usage", "scraper")
    payload = {"actor_id": "a", "run_id": "r", "status": "SUCCEEDED", field: value}
    response = _post(client, token, "results/actor-usage", payload)
    assert response.status_code == 400, response.content
    assert [e["message"] for e in response.json()["fields"][field]] == [message]
    assert not ActorUsageLog.objects.exists()
