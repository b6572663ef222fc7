"""The permission matrix, built from the URL conf: every POST endpoint refuses viewers and users
in no group with 403 and changes nothing; coordinators can open every page with real objects."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import builders as b
from tests.reliability.report import record
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
# For every enumerated POST endpoint a case below builds a valid payload (and the state it needs)
# for the group allowed to act. Posted by that user, the action must succeed (redirect or 200, no
# warning or error message), change exactly the tables expected, and write one row naming the
# acting user in the action's history/audit trail. An endpoint without a case fails the test.

# Trails: where an action records who did it, as SQL counting the rows naming the actor (%(u)s:
# username, %(id)s: user id).
TRAILS = {
    "company.history": "SELECT count(*) FROM company.history WHERE changed_by = %(u)s",
    "people.history": "SELECT count(*) FROM people.history WHERE changed_by = %(u)s",
    "people.merge_log": "SELECT count(*) FROM people.merge_log WHERE merged_by = %(u)s",
    "people.merge_log undo": "SELECT count(*) FROM people.merge_log WHERE undone_by = %(u)s",
    "people.resolution_queue": "SELECT count(*) FROM people.resolution_queue "
    "WHERE resolved_by = %(u)s",
    "marketing.pipeline_events": "SELECT count(*) FROM marketing.pipeline_events "
    "WHERE event_data ->> 'actor' = %(u)s",
    "marketing.campaign": "SELECT count(*) FROM marketing.campaign WHERE created_by = %(u)s",
    "marketing.booking_event": "SELECT count(*) FROM marketing.booking_event "
    "WHERE created_by = %(u)s",
    "intake.audit_log": "SELECT count(*) FROM intake.audit_log WHERE user_name = %(u)s",
    "marketing.history": "SELECT count(*) FROM marketing.history WHERE changed_by = %(u)s",
    "bit.history": "SELECT count(*) FROM bit.history WHERE changed_by = %(u)s",
    "ple.cycle": "SELECT count(*) FROM ple.cycle WHERE started_by = %(u)s",
    "saved_view": "SELECT count(*) FROM public.outreach_admin_savedview WHERE owner_id = %(id)s",
}
# Tables kept by triggers as summaries of others: they may move with any action that writes
# their source (e.g. intake.batch_summary follows intake.raw_loads).
DERIVED = {"intake.batch_summary"}
ALLOWED_CASES = {}


def case(name, *, tables, trail=None, group="coordinator", no_trail=None):
    """Register the valid-payload case of URL ``name``: ``tables`` is the exact set of tables the
    action changes, ``trail`` the TRAILS entry that must gain exactly one row naming the actor
    (or ``no_trail``: why the action records no actor)."""

    def register(fn):
        ALLOWED_CASES[name] = dict(
            build=fn, tables=set(tables), trail=trail, group=group, no_trail=no_trail
        )
        return fn

    return register


def trail_counts(user) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        role = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")
        try:
            counts = {}
            for name, sql in TRAILS.items():
                cursor.execute(sql, {"u": user.get_username(), "id": user.pk})
                counts[name] = cursor.fetchone()[0]
        finally:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
    return counts


def _first(qs):
    obj = qs.order_by("pk").first()
    assert obj is not None, f"the seeded data has no {qs.model.__name__} for this case; seed one"
    return obj


def _empty_slot_with_candidate(title="Sales"):
    from companies.models import CompanySlot

    slot = _first(CompanySlot.objects.filter(contact__isnull=True, company__status="active"))
    person = b.contact(company=slot.company, title=title, email_status="green")
    return slot, person


def _pending_pair():
    from people.models import ResolutionQueue

    return _first(ResolutionQueue.objects.filter(resolution_status="pending"))


def _handoff(status="pending"):
    from marketing.models import AcHandoff

    return _first(AcHandoff.objects.filter(status=status))


def _other_coordinator():
    return b.user(group="coordinator")


def _campaign(status):
    """A campaign in ``status`` with pending members (made through the services if needed)."""
    from marketing.models import Campaign
    from marketing.services import campaigns as services

    found = Campaign.objects.filter(status=status, members__status="pending").distinct().first()
    if found:
        return found
    ids = _campaign_companies()
    campaign = services.campaign_create(
        name=f"Matrix {status}",
        type="renewal",
        target_roles=["CEO", "CFO", "HR"],
        company_ids=ids,
        actor="setup",
    )
    if status != "draft":
        services.campaign_transition(campaign_id=campaign.pk, to_status=status, actor="setup")
    return campaign


def _campaign_companies() -> list[int]:
    """A fresh company whose CFO slot holds a verified person: the pre-flight includes her."""
    from django.db import connection

    company = b.company("Matrix Campaign Co")
    slot = b.slot(company, "CFO")
    slot.contact = b.contact(company=company, title="CFO", email_status="green")
    slot.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM marketing.campaign_preflight(%s, ARRAY['CFO']) WHERE included",
            [[company.pk]],
        )
        assert cursor.fetchone()[0] == 1, "the pre-flight refuses the matrix company"
    return [company.pk]


def _ingest(batch_id):
    from django.db import connection
    from psycopg.types.json import Jsonb

    rows = [Jsonb({"email": f"allowed-{batch_id}@matrix.example", "name": "Matrix Person"})]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM intake.f_ingest_json(%s::jsonb[], 'manual', %s)",
            [rows, batch_id],
        )


@case(
    "companies:slot_assign",
    tables={"company.company_slot", "company.history"},
    trail="company.history",
)
def _(user, client):
    slot, person = _empty_slot_with_candidate()
    return f"/companies/slots/{slot.pk}/assign/", {"contact_id": person.pk}


@case(
    "companies:slot_clear",
    tables={"company.company_slot", "company.history"},
    trail="company.history",
)
def _(user, client):
    from companies.models import CompanySlot

    slot = _first(CompanySlot.objects.filter(contact__isnull=False, company__status="active"))
    return f"/companies/slots/{slot.pk}/clear/", {
        "expected_contact_id": slot.contact_id,
        "reason": "left the company",
    }


@case(
    "companies:slot_bulk_fill",
    tables={"company.company_slot", "company.history"},
    trail="company.history",
)
def _(user, client):
    from companies.models import CompanySlot

    slot = _first(
        CompanySlot.objects.filter(contact__isnull=True, company__status="active", role_code="CFO")
    )
    person = b.contact(company=slot.company, title="Chief Financial Officer", email_status="green")
    return "/companies/slots/bulk-fill/", {
        "threshold": "0.70",
        "margin": "0.15",
        "slot_ids": str(slot.pk),
        "plan": f"{slot.pk}:fill:{person.pk}",
        "confirmed": "yes",
    }


@case(
    "intake:batch_upload", tables={"intake.raw_loads", "intake.audit_log"}, trail="intake.audit_log"
)
def _(user, client):
    rows = '[{"email": "upload@matrix.example", "name": "Upload Person"}]'
    return "/intake/upload/", {"pasted": rows, "source": "manual", "batch_id": "matrix-upload"}


@case(
    "intake:batch_upload_map",
    tables={"intake.raw_loads", "intake.audit_log"},
    trail="intake.audit_log",
)
def _(user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"Email,Name\nmap@matrix.example,Map Person\n"
    step = client.post(
        "/intake/upload/",
        {
            "file": SimpleUploadedFile("people.csv", csv, "text/csv"),
            "source": "manual",
            "batch_id": "matrix-map",
        },
    )
    assert step.status_code == 302 and step.url.endswith("/intake/upload/map/"), step
    return "/intake/upload/map/", {"col_0": "email", "col_1": "name"}


@case(
    "intake:batch_promote",
    tables={
        "vault.contacts",
        "people.contact",
        "marketing.pipeline_events",
        "intake.raw_loads",
        "company.company",
        "company.company_slot",
        "company.history",
        "intake.audit_log",
        "people.history",
        "people.contact_verification",
        "people.field_provenance",
    },
    trail="intake.audit_log",
)
def _(user, client):
    _ingest("matrix-promote")
    return "/intake/batches/promote/", {"batch_id": "matrix-promote", "scope": "batch"}


@case(
    "login",
    tables={},
    no_trail="authentication: django-axes logs it (tests/web/test_login_throttle)",
)
def _(user, client):
    client.logout()
    user.set_password("pass-1234-word")
    user.save()
    return "/accounts/login/", {"username": user.get_username(), "password": "pass-1234-word"}


@case("logout", tables={}, no_trail="authentication only")
def _(user, client):
    return "/accounts/logout/", {}


@case("saved_view_create", tables={"outreach_admin_savedview"}, trail="saved_view")
def _(user, client):
    return "/views/save/", {"name": "Matrix view", "path": "/companies/?q=matrix"}


@case(
    "saved_view_delete",
    tables={"outreach_admin_savedview"},
    no_trail="the deleted row was the record of its owner",
)
def _(user, client):
    from outreach_admin.models import SavedView

    view = SavedView.objects.create(name="Gone", url_name="companies:company_list", owner=user)
    return f"/views/{view.pk}/delete/", {}


@case(
    "marketing:booking_add",
    tables={"marketing.ac_handoff", "marketing.pipeline_events", "marketing.booking_event"},
    trail="marketing.booking_event",
)
def _(user, client):
    from people.models import Contact

    person = _first(Contact.objects.filter(status="active", company__isnull=False))
    return "/marketing/bookings/add/", {
        "contact": str(person.pk),
        "event_time": "2031-03-04T10:00",
        "source": "calendar",
    }


@case(
    "marketing:message_add",
    tables={"marketing.message_log", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    from people.models import Contact

    person = _first(Contact.objects.filter(status="active"))
    return "/marketing/messages/add/", {
        "contact": str(person.pk),
        "direction": "inbound",
        "channel": "email",
        "subject": "Re: hello",
    }


@case(
    "marketing:campaign_create",
    tables={"marketing.campaign", "marketing.campaign_contact", "marketing.history"},
    trail="marketing.campaign",
)
def _(user, client):
    return "/marketing/campaigns/create/", {
        "name": "Matrix campaign",
        "type": "renewal",
        "target_roles": ["CEO", "CFO", "HR"],
        "company": [str(i) for i in _campaign_companies()],
    }


@case(
    "marketing:campaign_transition",
    tables={"marketing.campaign", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    campaign = _campaign("draft")
    return f"/marketing/campaigns/{campaign.pk}/transition/", {"to_status": "active"}


@case(
    "marketing:campaign_bulk_transition",
    tables={"marketing.campaign", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    campaign = _campaign("draft")
    return "/marketing/campaigns/bulk-status/", {
        "ids": [str(campaign.pk)],
        "to_status": "active",
        "confirmed": "yes",
    }


@case(
    "marketing:campaign_member_remove",
    tables={"marketing.campaign_contact", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    member = _first(_campaign("draft").members.all())
    return f"/marketing/campaigns/members/{member.pk}/remove/", {}


@case(
    "marketing:campaign_member_outcome",
    tables={"marketing.campaign", "marketing.campaign_contact", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    member = _first(_campaign("active").members.filter(status="pending"))
    return f"/marketing/campaigns/members/{member.pk}/outcome/", {"outcome": "sent"}


@case(
    "marketing:handoff_accept",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/accept/", {"expected_status": "pending", "note": ""}


@case(
    "marketing:handoff_reject",
    tables={
        "marketing.ac_handoff",
        "marketing.pipeline_events",
        "marketing.campaign_contact",
        "marketing.history",
    },
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/reject/", {
        "expected_status": "pending",
        "reason_code": "wrong_contact",
        "note": "Spoke to the wrong person.",
    }


@case(
    "marketing:handoff_close",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/close/", {
        "expected_status": "pending",
        "note": "Closed by the matrix.",
    }


@case(
    "marketing:handoff_reassign",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/reassign/", {
        "expected_status": "pending",
        "user": str(_other_coordinator().pk),
    }


@case(
    "marketing:handoff_bulk_assign",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return "/marketing/handoffs/bulk-assign/", {
        "ids": [str(h.pk)],
        "assignee": _other_coordinator().get_username(),
        "confirmed": "yes",
    }


@case(
    "people:person_merge",
    tables={
        # the survivor taking the absorbed e-mail remembers its old address's status (people 0050)
        "people.address_verification",
        "people.contact",
        "people.resolution_queue",
        "people.email_verification",
        "people.merge_log",
        "people.history",
        "people.contact_verification",
    },
    trail="people.merge_log",
)
def _(user, client):
    pair = _pending_pair()
    return "/people/merge/", {
        "survivor_id": str(pair.contact_primary_id),
        "absorbed_id": str(pair.contact_duplicate_id),
        "resolution_id": str(pair.pk),
    }


@case(
    "people:merge_undo",
    tables={
        # the survivor's e-mail change back remembers the merged address's status (people 0050)
        "people.address_verification",
        "people.contact",
        "people.resolution_queue",
        "people.email_verification",
        "people.merge_log",
        "people.history",
        "people.contact_verification",
    },
    trail="people.merge_log undo",
)
def _(user, client):
    from people import services

    pair = _pending_pair()
    log = services.person_merge(
        survivor_id=pair.contact_primary_id,
        absorbed_id=pair.contact_duplicate_id,
        actor="earlier",
        resolution_id=pair.pk,
    )
    return f"/people/merges/{log.pk}/undo/", {"confirmed": "yes"}


@case(
    "people:bulk_merge",
    tables={
        "people.contact",
        "people.resolution_queue",
        "people.email_verification",
        "people.merge_log",
        "people.history",
        "people.contact_verification",
    },
    trail="people.merge_log",
)
def _(user, client):
    from people.models import ResolutionQueue

    pair = _pending_pair()  # marked unambiguous (same e-mail, same name), as the scan would
    evidence = {**pair.evidence, "email": {"result": "equal"}, "name": {"result": "equal"}}
    ResolutionQueue.objects.filter(pk=pair.pk).update(evidence=evidence)
    return "/people/duplicates/bulk-merge/", {
        "resolution_ids": str(pair.pk),
        "confirmed": "yes",
    }


@case(
    "people:resolution_defer", tables={"people.resolution_queue"}, trail="people.resolution_queue"
)
def _(user, client):
    return f"/people/duplicates/{_pending_pair().pk}/defer/", {}


@case(
    "people:resolution_not_duplicate",
    tables={"people.resolution_queue"},
    trail="people.resolution_queue",
)
def _(user, client):
    return f"/people/duplicates/{_pending_pair().pk}/not-duplicate/", {}


@case(
    "intake:detect_duplicates",
    tables={"ple.step", "people.resolution_queue", "ple.cycle"},
    trail="ple.cycle",
    group="admin",
)
def _(user, client):
    return "/intake/duplicates/detect/", {}


@case(
    "signals:signal_process",
    tables={'"bit".signal', '"bit".history'},
    trail="bit.history",
)
def _(user, client):
    from signals.models import Signal

    signal = _first(Signal.objects.filter(processed_at__isnull=True))
    return "/signals/process/", {"signal": [str(signal.pk)]}


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
