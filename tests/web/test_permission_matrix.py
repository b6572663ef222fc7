"""The permission matrix, built from the URL conf: every POST endpoint refuses viewers and users
in no group with 403 and changes nothing; coordinators can open every page with real objects."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import builders as b
from tests.reliability.report import record
from tests.web.allowed_cases import ALLOWED_CASES
from tests.web.conftest import (
    OPEN_POST,
    changed,
    client_for,
    fill,
    fingerprint,
    post_urls,
    urls,
)
from tests.web.trails import DERIVED, trail_counts

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
        record("permission matrix", "denied posts checked")
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


# --- the allowed side -----------------------------------------------------------------------------
#
# For every enumerated POST endpoint a case in tests/web/allowed_cases.py builds a valid payload
# (and the state it needs) for the group allowed to act. Posted by that user, the action must
# succeed (redirect or 200, no warning or error message), change exactly the tables expected,
# and write one row naming the acting user in the action's history/audit trail. An endpoint
# without a case fails the test.


def test_every_post_endpoint_has_an_allowed_case():
    """A new POST URL without a valid-payload case here fails (enumerated from the URL conf)."""
    missing = sorted({n for n, _ in post_urls()} - set(ALLOWED_CASES))
    stale = sorted(set(ALLOWED_CASES) - {n for n, _ in post_urls()})
    assert not missing, f"add an allowed case (valid payload + expected change) for: {missing}"
    assert not stale, f"cases for URLs that no longer exist: {stale}"


def test_allowed_actors_succeed_with_exactly_the_expected_change(seeded, capsys):
    """For every POST endpoint the allowed user's valid post succeeds with no warning, changes
    exactly the expected tables and adds one row naming that user to the action's trail."""
    from django.contrib.messages import get_messages
    from django.db import transaction

    failures, report = [], []
    # Shown as 0 in the results table: every allowed action names its actor in a trail.
    record("permission matrix", "missing history rows", 0)
    for name, _route in post_urls():
        spec = ALLOWED_CASES.get(name)
        if spec is None:
            failures.append((name, "no allowed case"))
            continue
        sid = transaction.savepoint()
        try:
            user = b.user(group=spec["group"])
            client = Client()
            client.force_login(user)
            try:
                path, data = spec["build"](user, client)
            except Exception as exc:  # noqa: BLE001 — reported with the endpoint's name
                failures.append((name, f"case setup failed: {exc!r}"))
                continue
            before, trails = fingerprint(), trail_counts(user)
            response = client.post(path, data)
            diff = set(changed(before, fingerprint())) - DERIVED
            delta = {k: v - trails[k] for k, v in trail_counts(user).items() if v != trails[k]}
            levels = [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]
        finally:
            transaction.savepoint_rollback(sid)
        report.append((name, response.status_code, sorted(diff), delta, levels))
        problems = []
        if response.status_code not in (200, 302):
            problems.append(f"status {response.status_code}")
        if any(level in ("warning", "error") for level, _ in levels):
            problems.append(f"messages {levels}")
        if diff != spec["tables"]:
            problems.append(f"changed {sorted(diff)} != expected {sorted(spec['tables'])}")
        if spec["trail"] and delta.get(spec["trail"]) != 1:
            problems.append(f"trail {spec['trail']}: {delta}")
        if not spec["trail"] and not spec["no_trail"]:
            record("permission matrix", "missing history rows")
            problems.append(f"no history row naming the actor ({delta})")
        record("permission matrix", "allowed endpoints checked")
        if problems:
            failures.append((name, problems))
    if failures:
        with capsys.disabled():
            for line in report:
                print(line)
    assert not failures, failures
