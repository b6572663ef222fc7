"""Worker API: auth, rate limit, claim/lease/expiry, disjoint claims, results, validation."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from companies.models import Company, CompanyHistory, CompanyIntelligence
from intake import services
from intake.models import ActorUsageLog, LinkedinRefreshJob, WorkerToken, WorkItemLease
from intake.openapi import document
from outreach_admin.db import acting_as
from people.models import Contact, ContactVerification, EmailVerification, PersonIntelligence
from tests import builders as b


def make_token(name="scraper-1", kind="scraper", **fields):
    row, token = services.worker_token_create(name=name, kind=kind, actor="test")
    if fields:
        WorkerToken.objects.filter(pk=row.pk).update(**fields)
    return row, token


def call(client, path, token, payload):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(
        f"/intake/api/{path}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


@pytest.fixture
def scraper(db):
    return make_token()


@pytest.fixture
def verifier(db):
    return make_token("verifier-1", "verifier")


def owner_read_hash(token_id: int) -> str:
    """The stored hash, read as the owner: the app role has no SELECT on it (intake 0091)."""
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT token_hash FROM intake.worker_token WHERE token_id = %s", [token_id])
        stored = cursor.fetchone()[0]
        cursor.execute("SET LOCAL ROLE outreach_app")
    return stored


def test_token_is_stored_as_sha256_only(scraper):
    """The plain token is never stored; its SHA-256 is."""
    row, token = scraper
    stored = owner_read_hash(row.pk)
    assert stored == services.hash_token(token)
    assert token not in stored


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_wrong_or_missing_token_is_401(client, scraper, header):
    """No token, an unknown token or another scheme: 401 with WWW-Authenticate."""
    headers = {"Authorization": header} if header else {}
    response = client.post(
        "/intake/api/claim", "{}", content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_inactive_token_is_401(client, scraper):
    """A deactivated token no longer works."""
    row, token = scraper
    WorkerToken.objects.filter(pk=row.pk).update(active=False)
    assert call(client, "claim", token, {"queue": "company_urls"}).status_code == 401


def test_api_needs_no_login_and_no_csrf(scraper):
    """The API is reachable without a session and without a CSRF token."""
    c = Client(enforce_csrf_checks=True)
    response = call(c, "claim", scraper[1], {"queue": "company_urls"})
    assert response.status_code == 200


def test_rate_limit_gives_429_with_retry_after(client, db):
    """Over the per-minute limit a token gets 429 and Retry-After."""
    _, token = make_token(rate_limit_per_minute=2)
    for _ in range(2):
        assert call(client, "claim", token, {"queue": "company_urls"}).status_code == 200
    response = call(client, "claim", token, {"queue": "company_urls"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_claim_leases_due_items_and_hides_them(client, scraper):
    """Claimed items are leased for 10 minutes and not handed out again while leased."""
    c = b.company("Acme", website_url="https://acme.example", linkedin_url="https://li/acme")
    _, token = scraper
    first = call(client, "claim", token, {"queue": "company_urls", "limit": 5}).json()
    keys = {item["item_key"] for item in first["items"]}
    assert {f"{c.pk}:website", f"{c.pk}:linkedin"} <= keys
    assert first["lease_minutes"] == 10
    other = make_token("scraper-2")[1]
    again = call(client, "claim", other, {"queue": "company_urls", "limit": 100}).json()
    assert not keys & {item["item_key"] for item in again["items"]}


def test_expired_lease_returns_item_to_queue(client, scraper):
    """An item whose lease expired can be claimed by another worker."""
    c = b.company("Acme", website_url="https://acme.example")
    _, token = scraper
    call(client, "claim", token, {"queue": "company_urls", "limit": 100})
    WorkItemLease.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    other_row, other = make_token("scraper-2")
    items = call(client, "claim", other, {"queue": "company_urls", "limit": 100}).json()["items"]
    assert f"{c.pk}:website" in {i["item_key"] for i in items}
    assert WorkItemLease.objects.get(item_key=f"{c.pk}:website").worker_id == other_row.pk


def test_verifier_cannot_claim_scraper_queue(client, verifier):
    """Queues belong to a kind of worker: a verifier claiming company URLs gets 403."""
    assert call(client, "claim", verifier[1], {"queue": "company_urls"}).status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"queue": "nope"},
        {"queue": "company_urls", "limit": 0},
        {"queue": "company_urls", "limit": 101},
        {"queue": "company_urls", "limit": "5"},
        {"queue": "company_urls", "extra": 1},
    ],
)
def test_invalid_claim_is_400_and_leases_nothing(client, scraper, payload):
    """Bad claims get 400 with field errors and lease nothing."""
    b.company("Acme", website_url="https://acme.example")
    response = call(client, "claim", scraper[1], payload)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert not WorkItemLease.objects.exists()


def test_company_result_records_intelligence_and_check_time(client, scraper):
    """A company result adds an intelligence row, stamps last_site_checked_at, ends the lease."""
    c = b.company("Acme", website_url="https://acme.example")
    _, token = scraper
    call(client, "claim", token, {"queue": "company_urls", "limit": 100})
    response = call(
        client,
        "results/company",
        token,
        {"company_id": c.pk, "url_type": "website", "title": "Acme home", "data": {"x": 1}},
    )
    assert response.status_code == 201, response.content
    intel = CompanyIntelligence.objects.get(pk=response.json()["intelligence_id"])
    assert (intel.company_id, intel.source, intel.payload["x"]) == (c.pk, "scraper-1", 1)
    assert Company.objects.get(pk=c.pk).last_site_checked_at is not None
    assert not WorkItemLease.objects.filter(item_key=f"{c.pk}:website").exists()


def test_result_without_lease_is_409_and_writes_nothing(client, scraper):
    """Posting for an item this worker does not hold is a 409; nothing changes."""
    c = b.company("Acme", website_url="https://acme.example")
    other_row, other = make_token("scraper-2")
    call(client, "claim", other, {"queue": "company_urls", "limit": 100})
    response = call(
        client, "results/company", scraper[1], {"company_id": c.pk, "url_type": "website"}
    )
    assert response.status_code == 409
    assert not CompanyIntelligence.objects.exists()
    assert Company.objects.get(pk=c.pk).last_site_checked_at is None


def test_profile_result_records_intelligence(client, scraper):
    """A profile result adds people.intelligence and stamps last_profile_checked_at."""
    p = b.contact("Ann Lee", linkedin_url="https://linkedin.com/in/ann")
    _, token = scraper
    items = call(client, "claim", token, {"queue": "profile_urls"}).json()["items"]
    assert str(p.pk) in {i["item_key"] for i in items}
    response = call(
        client,
        "results/profile",
        token,
        {"contact_id": p.pk, "headline": "CFO at Acme", "skills": ["finance"]},
    )
    assert response.status_code == 201, response.content
    intel = PersonIntelligence.objects.get(contact=p)
    assert intel.skills == ["finance"] and intel.new_value == "CFO at Acme"
    assert Contact.objects.get(pk=p.pk).last_profile_checked_at is not None


def test_email_result_updates_current_status(client, verifier):
    """An email result adds a verification row; the trigger sets contact_verification."""
    p = b.contact("Ann Lee", email="ann@acme.example", email_status="gray")
    _, token = verifier
    call(client, "claim", token, {"queue": "email_recheck", "limit": 100})
    response = call(
        client,
        "results/email",
        token,
        {"contact_id": p.pk, "email_status": "green", "confidence": 97.5},
    )
    assert response.status_code == 201, response.content
    assert EmailVerification.objects.get(contact=p).email == "ann@acme.example"
    assert ContactVerification.objects.get(contact=p).email_status == "green"


def test_email_result_for_another_address_is_409_and_changes_nothing(client, verifier):
    """A verifier's result naming an address that is not the person's current e-mail (the
    person changed address after the claim) is refused with 409 and stores nothing."""
    p = b.contact("Ann Lee", email="ann@acme.example", email_status="gray")
    _, token = verifier
    call(client, "claim", token, {"queue": "email_recheck", "limit": 100})
    before = EmailVerification.objects.filter(contact=p).count()
    response = call(
        client,
        "results/email",
        token,
        {"contact_id": p.pk, "email": "ann.old@acme.example", "email_status": "green"},
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["error"] == "conflict"
    assert "ann.old@acme.example is not the current e-mail" in body["message"]
    assert EmailVerification.objects.filter(contact=p).count() == before
    assert ContactVerification.objects.get(contact=p).email_status == "gray"
    same = call(
        client,
        "results/email",
        token,
        {"contact_id": p.pk, "email": "ANN@acme.example", "email_status": "green"},
    )
    assert same.status_code == 201, same.content


def test_linkedin_job_status_update(client, scraper):
    """A job status update sets the status and, when finished, completed_at."""
    job = LinkedinRefreshJob.objects.create(person_unique_id="x", linkedin_url="https://li/x")
    response = call(
        client, "results/linkedin-job", scraper[1], {"job_id": job.pk, "status": "completed"}
    )
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == "completed" and job.completed_at is not None
    assert (
        call(client, "results/linkedin-job", scraper[1], {"job_id": 999999, "status": "failed"})
    ).status_code == 409


def test_actor_usage_is_recorded(client, scraper):
    """Actor usage is appended to actor_usage_log."""
    response = call(
        client,
        "results/actor-usage",
        scraper[1],
        {
            "actor_id": "apify/li",
            "run_id": "r1",
            "status": "SUCCEEDED",
            "compute_units": 1.25,
            "dataset_items": 40,
        },
    )
    assert response.status_code == 201
    row = ActorUsageLog.objects.get()
    assert (row.run_id, row.dataset_items) == ("r1", 40)


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("results/company", {"company_id": "1", "url_type": "website"}),
        ("results/company", {"company_id": 1, "url_type": "ftp"}),
        ("results/company", {"company_id": 1, "url_type": "website", "score": 101}),
        ("results/company", {"company_id": 1, "url_type": "website", "data": [1]}),
        ("results/company", {"company_id": 1, "url_type": "website", "title": "a\u0000b"}),
        ("results/profile", {"contact_id": 1, "skills": [1, 2]}),
        ("results/profile", {"contact_id": 1, "checked_at": "yesterday"}),
        ("results/linkedin-job", {"job_id": 1, "status": "done"}),
        ("results/actor-usage", {"actor_id": "a", "run_id": "r", "status": "OK"}),
        (
            "results/actor-usage",
            {"actor_id": "a", "run_id": "r", "status": "FAILED", "dataset_items": -1},
        ),
        ("results/actor-usage", {"run_id": "r", "status": "FAILED"}),
        ("results/company", "[1, 2]"),
        ("results/company", "not json"),
    ],
)
def test_invalid_results_are_400_and_write_nothing(client, scraper, path, payload):
    """Every invalid payload gets a 400 and no row is written."""
    response = call(client, path, scraper[1], payload)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid"
    assert not CompanyIntelligence.objects.exists()
    assert not PersonIntelligence.objects.exists()
    assert not ActorUsageLog.objects.exists()


def test_invalid_email_result_is_400(client, verifier):
    """A verifier's bad status or confidence is a 400 with field errors."""
    response = call(
        client,
        "results/email",
        verifier[1],
        {"contact_id": 1, "email_status": "blue", "confidence": 300},
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email_status", "confidence"}
    assert not EmailVerification.objects.exists()


def test_get_is_405(client, scraper):
    """The API takes POST only."""
    response = client.get("/intake/api/claim", headers={"Authorization": f"Bearer {scraper[1]}"})
    assert response.status_code == 405


def test_openapi_document_matches_routes(client, db):
    """The published OpenAPI 3.1 document lists every route with its request schema."""
    response = client.get("/intake/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {
        "/claim",
        "/results/company",
        "/results/profile",
        "/results/email",
        "/results/linkedin-job",
        "/results/actor-usage",
    }
    claim = doc["paths"]["/claim"]["post"]["requestBody"]["content"]["application/json"]
    assert claim["schema"]["properties"]["limit"] == {
        "type": ["integer", "null"],
        "minimum": 1,
        "maximum": 100,
    }
    assert document() == doc


@pytest.fixture
def committed_queue(django_db_setup, django_db_blocker):
    """30 companies and two tokens committed through the test's own connection (pytest-django's
    transaction=True cannot flush this schema layout; see tests/companies/test_race.py), deleted
    afterwards."""
    with django_db_blocker.unblock():
        with acting_as("setup"):
            companies = [
                Company.objects.create(
                    company_name=f"Race {i}", website_url=f"https://race{i}.example"
                )
                for i in range(30)
            ]
            tokens = [make_token(f"race-w{i}") for i in range(2)]
        try:
            yield [t for _, t in tokens]
        finally:
            with transaction.atomic():
                ids = [c.pk for c in companies]
                WorkItemLease.objects.filter(worker__in=[r for r, _ in tokens]).delete()
                WorkerToken.objects.filter(pk__in=[r.pk for r, _ in tokens]).delete()
                Company.objects.filter(pk__in=ids).delete()
                CompanyHistory.objects.filter(company_id__in=ids).delete()
            connection.close()


def test_two_workers_claiming_at_once_get_disjoint_items(committed_queue, django_db_blocker):
    """Concurrent claims (own connections, real transactions) never share an item."""
    results, barrier = {}, threading.Barrier(2, timeout=10)

    def worker(token):
        with django_db_blocker.unblock():
            try:
                barrier.wait()
                response = call(Client(), "claim", token, {"queue": "company_urls", "limit": 20})
                results[token] = [i["item_key"] for i in response.json()["items"]]
            finally:
                connection.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in committed_queue]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    a, b_ = (results[t] for t in committed_queue)
    assert not set(a) & set(b_)
    # The slower claim may come back short (it lost the race for some items), never shared.
    assert len(set(a)) == len(a) and len(set(b_)) == len(b_)
    assert len(a) + len(b_) >= 20


@pytest.mark.parametrize(
    "field, value",
    [("data", {"": "\x00"}), ("data", {"\x00": 1}), ("linkedin_data", {"a": ["\ud800"]})],
)
def test_profile_result_form_refuses_what_jsonb_cannot_store(field, value):
    """A free JSON object with a NUL or a lone surrogate in a key or value is a form error
    (Hypothesis found the form valid and the insert failing)."""
    from intake.api import ProfileResultForm

    form = ProfileResultForm({"contact_id": 1, field: value})
    assert not form.is_valid()
    assert field in form.errors
