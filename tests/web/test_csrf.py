"""CSRF on every state-changing endpoint (enumerated from the URL conf), and no state change on
GET."""

from django.test import Client

from tests import builders as b
from tests.web.conftest import changed, fill, fingerprint, post_urls


def _path(name, route, sample_for):
    return "/" + route if "<" not in route else fill(route, [sample_for(name)])


def test_every_post_without_a_token_is_refused_and_changes_nothing(seeded):
    """With CSRF checks enforced, a POST lacking the token is a 403 and no table changes."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(b.user(group="coordinator"))
    failures = []
    for name, route in post_urls():
        if name == "logout":
            continue  # checked below: logging out must not happen without a token either
        path = _path(name, route, seeded)
        before = fingerprint()
        response = client.post(path, {"contact_id": 1, "confirmed": "yes", "name": "x"})
        diff = changed(before, fingerprint())
        if response.status_code != 403 or diff:
            failures.append((name, path, response.status_code, diff))
    assert not failures, failures
    assert client.post("/accounts/logout/").status_code == 403
    assert client.get("/companies/").status_code == 200  # still signed in


def test_get_on_every_post_endpoint_changes_nothing(seeded):
    """GET on an action endpoint never writes (actions are POST-only)."""
    client = Client()
    client.force_login(b.user(group="coordinator"))
    failures = []
    for name, route in post_urls():
        if name in {"logout", "login"}:
            continue
        path = _path(name, route, seeded)
        before = fingerprint()
        response = client.get(path, {"contact_id": 1, "confirmed": "yes"})
        diff = changed(before, fingerprint())
        if diff or response.status_code >= 500:
            failures.append((name, path, response.status_code, diff))
    assert not failures, failures
