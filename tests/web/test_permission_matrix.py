"""The permission matrix, built from the URL conf: every POST endpoint refuses viewers and users
in no group with 403 and changes nothing; coordinators can open every page with real objects."""

import pytest
from django.urls import reverse

from tests.web.conftest import (
    OPEN_POST,
    changed,
    client_for,
    fill,
    fingerprint,
    post_urls,
    urls,
)

# GET pages that forward elsewhere by design: the next slot in the queue, and the CSV mapping step
# when no upload is waiting in the session.
REDIRECTING_GET = {"companies:slot_next", "intake:batch_upload_map", "login"}


def _path(name, route, sample_for):
    if "<" not in route:
        return "/" + route
    try:
        value = sample_for(name)
    except LookupError:
        pytest.fail(f"{name}: add it to the sample map in tests/web/conftest.py (seeded fixture)")
    assert value is not None, f"{name}: the seeded data has no object for it; seed one"
    return fill(route, [value])


def test_post_endpoints_are_enumerated():
    """The enumeration finds the action views (guards against an empty, vacuous matrix)."""
    names = {n for n, _ in post_urls()}
    assert {"companies:slot_assign", "people:person_merge", "intake:batch_upload"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("group", ["viewer", None])
def test_non_actors_get_403_on_every_post_and_nothing_changes(seeded, group):
    """A viewer or a user in no group POSTing to any action gets 403 and no table changes."""
    client = client_for(group)
    failures = []
    for name, route in post_urls():
        if name in OPEN_POST:
            continue
        path = _path(name, route, seeded)
        before = fingerprint()
        response = client.post(path, {"contact_id": 1, "confirmed": "yes"})
        diff = changed(before, fingerprint())
        if response.status_code != 403 or diff:
            failures.append((name, path, response.status_code, diff))
    assert not failures, failures


def test_coordinator_opens_every_page_with_real_objects(seeded):
    """Every GET page (lists and details with seeded ids) answers 200 for a coordinator."""
    client = client_for("coordinator")
    failures = []
    seen = 0
    for name, route, view in urls():
        if name.startswith("intake:api_") or name in {"logout", "healthz"}:
            continue
        if isinstance(view, type) and not hasattr(view, "get"):
            continue
        path = _path(name, route, seeded)
        response = client.get(path)
        seen += 1
        # Action endpoints answer GET with 405 or a redirect back to their page; never 5xx.
        expected = (200,) if not hasattr(view, "post") or hasattr(view, "get") else (405, 302)
        if response.status_code not in expected and not (
            name in REDIRECTING_GET and response.status_code == 302
        ):
            failures.append((name, path, response.status_code))
    assert seen >= 25
    assert not failures, failures


def test_open_post_endpoints_are_the_known_few():
    """Only sign-in/out and personal saved views are open to every signed-in user."""
    assert {n for n, _ in post_urls()} >= OPEN_POST
    assert reverse("saved_view_create")
