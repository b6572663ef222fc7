"""Login brute force is throttled (django-axes): the 6th bad password is locked out with a clear
message, the attempt is recorded and logged."""

import logging

from axes.models import AccessAttempt
from django.db import connection
from django.test import Client

from tests import builders as b


def _bad_login(client, username):
    return client.post("/accounts/login/", {"username": username, "password": "wrong-password"})


def test_six_bad_passwords_lock_the_account_out(db, caplog):
    """The 5th failure locks; the 6th attempt gets the lockout page (429), even with the right
    password, and the attempts are recorded and logged."""
    user = b.user("throttled")
    client = Client()
    with caplog.at_level(logging.WARNING, logger="axes"):
        statuses = [_bad_login(client, "throttled").status_code for _ in range(5)]
        # The form answers the first 4 failures; the 5th reaches the limit and locks.
        assert statuses == [200, 200, 200, 200, 429]
        locked = _bad_login(client, "throttled")
        assert locked.status_code == 429
        assert b"Too many failed sign-ins" in locked.content
        assert b"locked for 15 minutes" in locked.content
        right = client.post(
            "/accounts/login/", {"username": user.username, "password": "pass-1234-word"}
        )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="throttled")
    assert attempt.failures_since_start >= 5
    assert any("Locking out" in r.getMessage() for r in caplog.records)


def test_other_users_are_not_locked_by_someone_elses_failures(db):
    """The lock is per username and address: another user can still sign in."""
    b.user("victim")
    other = b.user("bystander")
    client = Client()
    for _ in range(6):
        _bad_login(client, "victim")
    response = client.post(
        "/accounts/login/", {"username": other.username, "password": "pass-1234-word"}
    )
    assert response.status_code == 302


def test_a_failed_login_is_recorded_under_the_runtime_role(db):
    """axes writes its tables as outreach_app (default privileges on public give it DML)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "outreach_app"
    _bad_login(Client(), "someone")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "outreach_app"
    assert AccessAttempt.objects.filter(username="someone").count() == 1


def test_overlong_username_is_a_form_error_not_a_500(db):
    """A username longer than the user model allows (300 characters) is answered by the sign-in
    form with a message, and no failed attempt is recorded (django-axes' column is
    varchar(255): recording it was a 500) — on the app's login page and the admin's."""
    client = Client()
    for url in ("/accounts/login/", "/admin/login/"):
        response = client.post(url, {"username": "u" * 300, "password": "wrong-password"})
        assert response.status_code == 200
        assert b"at most 150 characters (it has 300)" in response.content
    assert not AccessAttempt.objects.exists()


def test_behind_a_proxy_each_client_has_its_own_lock(db, settings):
    """Rule: with DJANGO_TRUSTED_PROXY_COUNT=1 the lock is per forwarded client address, so a
    name locked by one client behind the proxy still signs in from another (before, every client
    shared the proxy's REMOTE_ADDR and its lock-out)."""
    settings.TRUSTED_PROXY_COUNT = 1
    user = b.user("proxied")
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(6):
        _bad_login(attacker, "proxied")
    assert _bad_login(attacker, "proxied").status_code == 429
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = colleague.post(
        "/accounts/login/", {"username": user.username, "password": "pass-1234-word"}
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.get(username="proxied").ip_address == "198.51.100.7"


def test_a_client_cannot_choose_its_address_through_the_header(db, settings):
    """Rule: only the entries our proxies append are read; an address the client wrote into
    X-Forwarded-For itself (left of the proxy's entry) does not give it a fresh lock-out
    counter, and without a trusted proxy the header is ignored altogether."""
    b.user("spoofed")
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        forged = f"192.0.2.{n}, 198.51.100.8"  # the proxy appended the real address last
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forged).post(
            "/accounts/login/", {"username": "spoofed", "password": "wrong-password"}
        )
    assert AccessAttempt.objects.get(username="spoofed").ip_address == "198.51.100.8"
    settings.TRUSTED_PROXY_COUNT = 0
    direct = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.1")
    _bad_login(direct, "spoofed")
    assert AccessAttempt.objects.filter(username="spoofed", ip_address="198.51.100.9").exists()
