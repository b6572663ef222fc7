"""Wrong worker-API tokens are throttled per client address (issue 19 finding: they were never
throttled, so tokens could be guessed at the server's speed)."""

from django.test import Client

from intake import services
from intake.models import WorkerAuthFailure, WorkerToken


def _claim(client, token):
    return client.post(
        "/intake/api/claim",
        '{"queue": "company_urls"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_an_address_guessing_tokens_gets_429_even_with_a_right_token(db, settings):
    """Rule: after WORKER_AUTH_FAILURES_PER_MINUTE wrong tokens from one address in a minute,
    that address gets 429 with Retry-After before any token is looked at (a right guess then
    proves nothing); the token's own use is not counted."""
    settings.WORKER_AUTH_FAILURES_PER_MINUTE = 3
    _, token = services.worker_token_create(name="guessed", kind="scraper", actor="test")
    guesser = Client(REMOTE_ADDR="198.51.100.20")
    statuses = [_claim(guesser, f"wk_guess{n}").status_code for n in range(3)]
    assert statuses == [401, 401, 401]
    blocked = _claim(guesser, token)
    assert blocked.status_code == 429
    assert "Too many wrong tokens from this address" in blocked.json()["message"]
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert WorkerToken.objects.get(name="guessed").last_used_at is None
    assert WorkerAuthFailure.objects.get(client="198.51.100.20").failures == 3


def test_other_addresses_and_right_tokens_are_not_throttled(db, settings):
    """Rule: the count is per address; a worker elsewhere keeps working, and a right token does
    not add to its address's count."""
    settings.WORKER_AUTH_FAILURES_PER_MINUTE = 2
    _, token = services.worker_token_create(name="busy", kind="scraper", actor="test")
    for n in range(5):
        _claim(Client(REMOTE_ADDR="198.51.100.21"), f"wk_guess{n}")
    worker = Client(REMOTE_ADDR="198.51.100.22")
    assert [_claim(worker, token).status_code for _ in range(5)] == [200] * 5
    assert not WorkerAuthFailure.objects.filter(client="198.51.100.22").exists()


def test_a_failure_from_the_last_minute_starts_a_new_count(db, settings):
    """Rule: the window is the current minute; an old count does not block."""
    settings.WORKER_AUTH_FAILURES_PER_MINUTE = 1
    WorkerAuthFailure.objects.create(
        client="198.51.100.23", window_start="2026-01-01T00:00Z", failures=50
    )
    client = Client(REMOTE_ADDR="198.51.100.23")
    assert _claim(client, "wk_nope").status_code == 401
    assert WorkerAuthFailure.objects.get(client="198.51.100.23").failures == 1
    assert _claim(client, "wk_nope").status_code == 429
