"""The web baseline: every URL needs a login, security headers are set, deploy checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"/accounts/login/", "/healthz"}
# The worker API authenticates by bearer token instead of a session (tests/intake/test_api*).
TOKEN_AUTHENTICATED_PREFIX = "/intake/api/"
ROOT = Path(__file__).resolve().parent.parent


def _paths(resolver=None, prefix=""):
    """Every concrete URL of the URL conf, with sample values for path converters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            route = str(entry.pattern)
            if route.startswith("admin/"):
                continue  # the admin has its own login, tested in test_admin.py
            yield from _paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            for conv in ("<int:pk>", "<int:", "<str:", "<slug:", "<uuid:", "<path:"):
                while conv in route:
                    start = route.index(conv)
                    end = route.index(">", start)
                    sample = "00000000-0000-0000-0000-000000000000" if "uuid" in conv else "1"
                    route = route[:start] + sample + route[end + 1 :]
            if "^" in route or "(?P" in route:
                continue  # regex routes (none of ours); admin internals
            yield "/" + route


@pytest.mark.django_db
def test_every_url_requires_login(client):
    """An anonymous GET or POST to any URL is sent to the login page (deny by default)."""
    paths = sorted(
        p for p in set(_paths()) - PUBLIC if not p.startswith(TOKEN_AUTHENTICATED_PREFIX)
    )
    assert len(paths) >= 1
    for path in paths:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (path, response.status_code)
            assert response.url.startswith("/accounts/login/"), path


@pytest.mark.django_db
def test_security_headers(client):
    """Pages carry a CSP without inline scripts, anti-framing, nosniff and a referrer policy."""
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_check_deploy_passes_with_production_settings():
    """`manage.py check --deploy --fail-level WARNING` passes with the production environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST_")) and k != "TEST_DB_SUFFIX"
    }
    env.update(
        DJANGO_SECRET_KEY="x" * 20 + "-production-like-secret-key-with-entropy-9f8e7d6c5b4a",
        DJANGO_ALLOWED_HOSTS="outreach.example.com",
        DJANGO_DEBUG="false",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
