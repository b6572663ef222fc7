"""Hypothesis through the real POST views and services (issue 10): valid saves, invalid doesn't.

Every form of the project (``test_forms_hypothesis.project_forms``, found by walking the app
packages) is mapped to the POST view(s) that bind it in ``ACTIONS`` (``tests/web/actions.py``;
the value strategies are ``tests/web/strategies.py``); a form or a session POST endpoint
without an entry fails a test here. Each example draws a target object and a
submission (about half valid-shaped throughout: real ids, the form's own choices, well-formed
dates and text; the rest with hostile values in one to three fields: ids ≥ 2**63, 0, -1, NUL,
lone surrogates sent as raw UTF-8 escapes, '²', '١٢', '１２', 5,000-character strings, script
tags, SQL-ish text), posts it through the Django test client as a signed-in coordinator inside
a savepoint that is rolled back after the example, and checks:

* never a 5xx (the client re-raises a view's exception, so a ``DataError`` or ``ValueError``
  fails the example) and the connection is usable afterwards;
* the same body bound to the form (as the view binds it) predicts the outcome: invalid ⇒ no
  table of the app schemas changed; valid and a success message ⇒ the action's own table
  changed (the write happened, without a database error); valid and a refusal (error or
  warning message, a confirm step, a re-rendered form) ⇒ nothing changed.

"Changed" is exact and cheap: the backend's live per-table write counters
(``pg_stat_xact_all_tables``) name the tables a request touched, and only those are compared
(count + md5 of all rows, read as the owner so RLS hides nothing) with the baseline taken once
(every example starts from it, being rolled back).

Figures: each action runs ``VIEW_EXAMPLES`` = 300 examples, the issue's count (≈ 20–35 ms
each, ≈ 5 minutes for the 23 actions on the shared 2-core box; ``HYPOTHESIS_VIEW_EXAMPLES=60``
gives a quick local run). The form level (``test_forms_hypothesis.py``) binds 300 per form too.
Each action must see both an invalid and a written example, so none passes vacuously.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib import messages as dj_messages
from django.contrib.messages.storage.base import BaseStorage
from django.db import connection, transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import builders as b
from tests.web.actions import (
    ACTIONS,
    API_FORMS,
    BASE_FORMS,
    NO_FORM,
    SIGN_IN_FORMS,
    UNBOUND,
    _form,
)
from tests.web.conftest import APP_SCHEMAS, VOLATILE, client_for, post_urls
from tests.web.test_forms_hypothesis import project_forms

VIEW_EXAMPLES = int(os.environ.get("HYPOTHESIS_VIEW_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=VIEW_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- posting ------------------------------------------------------------------------------------


def encode(data: dict) -> str:
    """A urlencoded body; lone surrogates become the raw (invalid) UTF-8 bytes a browser could
    send, which Django decodes with replacement characters."""
    return urlencode(
        [(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])],
        encoding="utf-8",
        errors="surrogatepass",
    )


def app_tables() -> list[str]:
    """The tables of the app schemas (volatile login/session bookkeeping left out)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid::regclass::text, c.relname FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = ANY(%s) "
            "ORDER BY 1",
            [list(APP_SCHEMAS)],
        )
        return [t for t, rel in cursor.fetchall() if not VOLATILE.match(rel)]


def fingerprint(tables) -> dict[str, tuple]:
    """count + md5 of all rows of ``tables``, read as the owner (RLS hides nothing)."""
    if not tables:
        return {}
    sql = " UNION ALL ".join(
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) "
        f"FROM {t} x"
        for t in sorted(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        role = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")
        try:
            cursor.execute(sql)
            return {t: (n, h) for t, n, h in cursor.fetchall()}
        finally:
            cursor.execute(f'SET LOCAL ROLE "{role}"')


def write_counters() -> dict[str, int]:
    """Rows inserted + updated + deleted per table so far in this transaction (live counters
    of this backend), so only the tables a request touched need a content fingerprint."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relid::regclass::text, n_tup_ins + n_tup_upd + n_tup_del "
            "FROM pg_stat_xact_all_tables WHERE schemaname = ANY(%s)",
            [list(APP_SCHEMAS)],
        )
        return dict(cursor.fetchall())


# --- the data an example can point at -----------------------------------------------------------


@dataclass
class Ctx:
    pools: dict[str, list]
    client: object = None
    messages: list = field(default_factory=list)


def _ids(qs, flat="pk"):
    return list(qs.order_by("pk").values_list(flat, flat=True)[:40])


@pytest.fixture
def ctx(seeded, monkeypatch):
    """Pools of real ids, names and values from the demo data, and a coordinator's client."""
    from django.contrib.auth.models import User

    from companies.models import Company, CompanySlot
    from companies.services import slot_assign, slots_bulk_fill
    from intake.models import RawLoad
    from marketing.models import AcHandoff, Campaign, CampaignContact
    from marketing.services.campaigns import campaign_create, campaign_transition
    from outreach_admin.db import acting_as
    from people.models import Contact, ResolutionQueue

    coordinators = User.objects.filter(groups__name="coordinator", is_active=True)
    live = Contact.objects.exclude(status="merged")
    pools = {
        "contact": _ids(live),
        "contact_name": _ids(live, "full_name"),
        "contact_email": _ids(live.exclude(email=None), "email"),
        "company": _ids(Company.objects),
        "empty_slot": _ids(CompanySlot.objects.filter(contact__isnull=True)),
        "filled_slot": _ids(CompanySlot.objects.filter(contact__isnull=False)),
        "pair": _ids(ResolutionQueue.objects),
        "pending_pair": _ids(ResolutionQueue.objects.filter(resolution_status="pending")),
        "campaign": _ids(Campaign.objects),
        "handoff": _ids(AcHandoff.objects),
        "load": _ids(RawLoad.objects),
        "batch": sorted(set(RawLoad.objects.values_list("batch_id", flat=True)))[:10],
        "coordinator": _ids(coordinators),
        "coordinator_name": _ids(coordinators, "username"),
    }
    # Companies a campaign can include (filled slots, green e-mails), made by the services: the
    # demo's people are all in open campaigns already. One of them becomes a live campaign.
    with acting_as("test"):
        pools["company_for_campaign"] = []
        for n in range(3):
            company = b.company(f"Hypothesis Co {n}")
            pools["company_for_campaign"].append(company.pk)
            for role in ("CEO", "CFO", "HR"):
                person = b.contact(f"Hy {role} {n}", email_status="green", company=company)
                slot_assign(slot_id=b.slot(company, role).pk, contact_id=person.pk, actor="test")
        live = campaign_create(
            name="Hypothesis live",
            type="renewal",
            target_roles=["CEO", "CFO", "HR"],
            company_ids=pools["company_for_campaign"][:1],
            actor="test",
        )
        campaign_transition(campaign_id=live.pk, to_status="active", actor="test")
    pools["member"] = _ids(CampaignContact.objects.filter(campaign=live))
    fills = slots_bulk_fill(
        slot_ids=pools["empty_slot"], actor="test", threshold=0, margin=0, dry_run=True
    )
    pools["fillable_slot"] = [o.slot_id for o in fills if o.action == "fill"]
    # One pair bulk merge accepts (same e-mail and name); the demo's pairs all need a review.
    twin_a, twin_b = b.contact("Tess Twin"), b.contact("Tess Twin")
    pools["twin_pair"] = [
        ResolutionQueue.objects.create(
            contact_primary=twin_a,
            contact_duplicate=twin_b,
            conflict_type=ResolutionQueue.ConflictType.values[0],
            score="0.990",
            evidence={"email": {"result": "equal"}, "name": {"result": "equal"}},
        ).pk
    ]
    pools["pair_people"] = list(
        ResolutionQueue.objects.filter(resolution_status="pending")
        .order_by("pk")
        .values_list("pk", "contact_primary_id", "contact_duplicate_id")[:20]
    )
    for name, values in pools.items():
        assert values, f"the demo data has no {name}; the strategies need one"
    context = Ctx(pools=pools, client=client_for("coordinator"))
    add = BaseStorage.add

    def recording_add(storage, level, message, extra_tags=""):
        context.messages.append((level, str(message)))
        return add(storage, level, message, extra_tags)

    # What this request said, whether the page redirects (cookie) or renders (consumed).
    monkeypatch.setattr(BaseStorage, "add", recording_add)
    return context


def test_every_form_has_a_view_strategy():
    """Each discovered form is driven through a view here, or is an API, sign-in or unbound
    form."""
    driven = {a.form.rsplit(".", 1)[1] for a in ACTIONS}
    listed = UNBOUND | API_FORMS | SIGN_IN_FORMS | BASE_FORMS
    missing = {c.__name__ for c in project_forms()} - driven - listed
    assert not missing, f"add an Action (view + strategy) for {sorted(missing)}"


def test_base_forms_are_driven_through_a_subclass():
    """A form listed as a base is subclassed by at least one form an Action drives."""
    driven = {a.form.rsplit(".", 1)[1] for a in ACTIONS}
    forms = project_forms()
    for name in BASE_FORMS:
        base = next(c for c in forms if c.__name__ == name)
        subclasses = {c.__name__ for c in forms if c is not base and issubclass(c, base)}
        assert subclasses & driven, f"no driven form subclasses {name}"


def test_every_post_endpoint_is_driven_or_formless():
    """Each session POST endpoint is an Action here or binds no form."""
    missing = {n for n, _ in post_urls()} - {a.url_name for a in ACTIONS} - NO_FORM
    assert not missing, f"add an Action for {sorted(missing)}"


def test_unbound_forms_are_really_unbound():
    """A form listed as bound by no view is named in no view module (else drive it)."""
    sources = " ".join(
        Path(p).read_text()
        for pattern in ("*/views.py", "*/views/*.py")
        for p in Path(__file__).resolve().parents[2].glob(pattern)
        if "tests" not in str(p)
    )
    for name in UNBOUND:
        assert name not in sources, f"{name} is used by a view now: add an Action"


def _params():
    for a in ACTIONS:
        marks = [pytest.mark.xfail(strict=True, reason=a.known_bug)] if a.known_bug else []
        yield pytest.param(a, id=a.url_name, marks=marks)


@pytest.mark.parametrize("action", list(_params()))
def test_view_valid_writes_invalid_changes_nothing(action, ctx):
    """Through the view: no 5xx; invalid ⇒ no table changed; valid ⇒ written or refused cleanly."""
    form_class = _form(action.form)
    tables = app_tables()
    baseline = fingerprint(tables)  # every example starts here: each one is rolled back
    seen = Counter()

    @SETTINGS
    @given(d=st.data())
    def run(d):
        with transaction.atomic():
            if action.before:
                action.before(ctx)
            path, data = action.draw(d, ctx)
            body = encode(data)
            query = QueryDict(body)
            form = action.bind(query, ctx) if action.bind else form_class(query)
            valid = form.is_valid()
            ctx.messages.clear()
            counters = write_counters()
            response = ctx.client.post(path, body, content_type="application/x-www-form-urlencoded")
            touched = {t for t, n in write_counters().items() if n != counters.get(t)}
            after = fingerprint(touched & set(tables))
            diff = {t for t, fp in after.items() if fp != baseline[t]}
            msgs = list(ctx.messages)
            assert response.status_code < 500, (response.status_code, data)
            success = [
                t
                for level, t in msgs
                if (action.success.search(t) if action.success else level == dj_messages.SUCCESS)
            ]
            if not valid:
                assert not diff, f"invalid form ({form.errors.as_json()}) but wrote {diff}"
                seen["invalid"] += 1
            elif success and action.noop and action.noop.search(" ".join(success)):
                seen["reported no-op"] += 1  # e.g. an upload whose rows were all skipped
            elif success:
                assert diff & action.proof, f"success {success} but {action.proof} unchanged"
                seen["written"] += 1
            else:
                assert not diff, f"refused ({msgs}, {response.status_code}) but wrote {diff}"
                seen["refused"] += 1
            transaction.set_rollback(True)
        with connection.cursor() as cursor:  # the connection is still usable
            cursor.execute("SELECT 1")

    run()
    assert seen["invalid"] >= 1, seen
    assert seen["written"] >= 1, seen
