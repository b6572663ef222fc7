"""Hypothesis through the real POST views and services (issue 10): valid saves, invalid doesn't.

Every form of the project (``test_forms_hypothesis.project_forms``, found by walking the app
packages) is mapped to the POST view(s) that bind it in ``ACTIONS``; a form or a session POST
endpoint without an entry fails a test here. Each example draws a target object and a
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

import datetime as dt
import json
import os
import re
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib import messages as dj_messages
from django.contrib.messages.storage.base import BaseStorage
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_admin.forms import IdField, IdListField
from tests import builders as b
from tests.web.conftest import APP_SCHEMAS, VOLATILE, client_for, post_urls
from tests.web.test_forms_hypothesis import project_forms

VIEW_EXAMPLES = int(os.environ.get("HYPOTHESIS_VIEW_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=VIEW_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "²",
    "١٢",
    "１２",
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 30,
    "1e3",
    "#5",
    "x" * 5000,
    "<script>alert(1)</script>",
    "'; DROP TABLE company.company; --",
    "😀",
]
hostile = st.sampled_from(HOSTILE)
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
)


def mix(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly valid-shaped values, sometimes a hostile one (for values inside a field)."""
    return st.one_of(valid, valid, valid, hostile)


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

    from companies.models import CompanySlot
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


# --- per-field strategies -----------------------------------------------------------------------

DATETIME_TEXT = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))


def sample(pool: list) -> st.SearchStrategy:
    return st.sampled_from(pool).map(str)


def for_field(f: forms.Field) -> st.SearchStrategy:
    """Valid-shaped values for a field, by type (ids are given per action instead)."""
    if isinstance(f, forms.MultipleChoiceField):
        return st.lists(st.sampled_from([str(k) for k, _ in f.choices]), min_size=1, max_size=3)
    if isinstance(f, forms.ChoiceField):
        return st.sampled_from([str(k) for k, _ in f.choices if k != ""])
    if isinstance(f, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(f, forms.DateTimeField):
        return DATETIME_TEXT
    if isinstance(f, forms.DecimalField):
        return st.decimals(min_value=0, max_value=1, places=2).map(str)
    return words


def submission(form_class, pools: dict[str, st.SearchStrategy], fields=None) -> st.SearchStrategy:
    """One dict per form field: about half the examples are valid-shaped throughout, the rest
    carry hostile values in one to three fields (or leave them out); optional fields are sent
    three times in four."""
    fields = fields if fields is not None else form_class.base_fields
    valid = {}
    for name, f in fields.items():
        valid[name] = pools.get(name)
        if valid[name] is None:
            assert not isinstance(f, (IdField, IdListField)), f"{name}: give an id pool"
            valid[name] = for_field(f)

    @st.composite
    def build(draw):
        names = sorted(fields)
        bad = draw(
            st.one_of(st.just(set()), st.sets(st.sampled_from(names), min_size=1, max_size=3))
        )
        data = {}
        for name in names:
            if name in bad:
                value = draw(st.one_of(hostile, st.lists(hostile, max_size=3), st.none()))
                if value is not None:
                    data[name] = value
            elif fields[name].required or draw(st.integers(0, 3)):
                data[name] = draw(valid[name])
        return data

    return build()


# --- the actions --------------------------------------------------------------------------------


@dataclass
class Action:
    """A POST view, the form it binds, how to draw (path, data), and the table it writes."""

    url_name: str
    form: type
    draw: Callable  # (st.DataObject, Ctx) -> (path, data)
    proof: set[str]
    # A success message that reports doing nothing (e.g. "0 filled") is no write.
    noop: re.Pattern | None = None
    # Success is a SUCCESS-level message unless the view reports it otherwise.
    success: re.Pattern | None = None
    bind: Callable | None = None  # (data, ctx) -> bound form, when the view adds arguments
    before: Callable | None = None  # (ctx) -> None, per example (e.g. a pending upload)
    known_bug: str = ""


def _path(name, *args):
    return reverse(name, args=args)


def _slot_assign(d, c):
    from companies.forms import SlotAssignForm
    from companies.models import CompanySlot

    pk = d.draw(st.sampled_from(c.pools["empty_slot"] + c.pools["filled_slot"]))
    current = CompanySlot.objects.filter(pk=pk).values_list("contact_id", flat=True).first()
    pools = {
        "contact_id": sample(c.pools["contact"]),
        "expected_contact_id": st.just(str(current)) if current else st.just(""),
    }
    return _path("companies:slot_assign", pk), d.draw(submission(SlotAssignForm, pools))


def _slot_clear(d, c):
    from companies.forms import SlotClearForm
    from companies.models import CompanySlot

    pk = d.draw(st.sampled_from(c.pools["filled_slot"]))
    current = CompanySlot.objects.values_list("contact_id", flat=True).get(pk=pk)
    pools = {"expected_contact_id": st.one_of(st.just(str(current)), sample(c.pools["contact"]))}
    return _path("companies:slot_clear", pk), d.draw(submission(SlotClearForm, pools))


def _slot_bulk_fill(d, c):
    from companies.forms import SlotBulkFillForm

    slots = st.one_of(
        st.sampled_from(c.pools["fillable_slot"]), st.sampled_from(c.pools["empty_slot"])
    )
    ids = st.lists(slots, min_size=1, max_size=6, unique=True)
    pools = {
        "slot_ids": ids.map(lambda xs: ",".join(map(str, xs))),
        "plan": st.just(""),
        "threshold": st.sampled_from(["0.00", "0.30", "0.70", "1"]),
        "margin": st.sampled_from(["0.00", "0.15", "1"]),
    }
    data = d.draw(submission(SlotBulkFillForm, pools))
    data.update(d.draw(st.fixed_dictionaries({}, optional=BULK_FILL_FILTERS)))
    return _path("companies:slot_bulk_fill"), data


BULK_FILL_FILTERS = {
    "confirmed": st.sampled_from(["yes", "yes", "no", "\x00"]),
    "role_code": mix(st.sampled_from(["CEO", "CFO", "HR"])),
    "industry": mix(words),
    "state": mix(words),
    "window": mix(st.sampled_from(["open", "30", "60", "90"])),
    "has_candidates": mix(st.sampled_from(["yes", "no"])),
}


def _bulk_merge(d, c):
    from people.forms import BulkMergeForm

    pairs = st.one_of(sample(c.pools["twin_pair"]), sample(c.pools["pending_pair"]))
    ids = st.lists(pairs, min_size=1, max_size=4)
    pools = {
        "resolution_ids": st.tuples(ids, st.sampled_from([" ", ",", ", "])).map(
            lambda t: t[1].join(t[0])
        ),
        "confirmed": st.just("yes"),
    }
    return _path("people:bulk_merge"), d.draw(submission(BulkMergeForm, pools))


def _person_merge(d, c):
    from people.forms import PersonMergeForm

    pair, a, b = d.draw(st.sampled_from(c.pools["pair_people"]))
    survivor, absorbed = d.draw(st.sampled_from([(a, b), (b, a)]))
    pools = {
        "survivor_id": st.one_of(st.just(str(survivor)), sample(c.pools["contact"])),
        "absorbed_id": st.one_of(st.just(str(absorbed)), sample(c.pools["contact"])),
        "resolution_id": st.just(str(pair)),
    }
    fields = PersonMergeForm().fields
    return _path("people:person_merge"), d.draw(submission(PersonMergeForm, pools, fields))


def _pair_action(url_name):
    def draw(d, c):
        from people.forms import PairActionForm

        pk = d.draw(st.sampled_from(c.pools["pair"]))
        pools = {"next": st.sampled_from(["", "/people/duplicates/", "https://evil.example/"])}
        return _path(url_name, pk), d.draw(submission(PairActionForm, pools))

    return draw


def _campaign_create(d, c):
    from marketing.forms.campaigns import CampaignForm

    pools = {
        "company": st.lists(sample(c.pools["company_for_campaign"]), min_size=1, max_size=4),
        "name": words,
    }
    return _path("marketing:campaign_create"), d.draw(submission(CampaignForm, pools))


def _campaign_transition(d, c):
    from marketing.forms.campaigns import CampaignTransitionForm

    pk = d.draw(st.sampled_from(c.pools["campaign"]))
    return _path("marketing:campaign_transition", pk), d.draw(
        submission(CampaignTransitionForm, {})
    )


def _campaign_member_outcome(d, c):
    from marketing.forms.campaigns import CampaignMemberOutcomeForm

    pk = d.draw(st.sampled_from(c.pools["member"]))
    return _path("marketing:campaign_member_outcome", pk), d.draw(
        submission(CampaignMemberOutcomeForm, {})
    )


def _campaign_bulk_transition(d, c):
    from marketing.forms.campaigns import CampaignBulkTransitionForm

    pools = {"ids": st.lists(sample(c.pools["campaign"]), min_size=1, max_size=4)}
    data = d.draw(submission(CampaignBulkTransitionForm, pools))
    data["confirmed"] = d.draw(st.sampled_from(["yes", "yes", ""]))
    return _path("marketing:campaign_bulk_transition"), data


def _contact_ref(c):
    return st.one_of(
        sample(c.pools["contact"]),
        sample(c.pools["contact"]).map(lambda s: "#" + s),
        st.sampled_from(c.pools["contact_name"]),
        st.sampled_from(c.pools["contact_email"]),
    )


def _booking(d, c):
    from marketing.forms.handoffs import BookingEventForm

    pools = {"contact": _contact_ref(c), "campaign": sample(c.pools["campaign"])}
    return _path("marketing:booking_add"), d.draw(submission(BookingEventForm, pools))


def _message(d, c):
    from marketing.forms.handoffs import MessageLogForm

    pools = {"contact": _contact_ref(c), "campaign": sample(c.pools["campaign"])}
    return _path("marketing:message_add"), d.draw(submission(MessageLogForm, pools))


def _handoff(url_name, form_path):
    def draw(d, c):
        from django.utils.module_loading import import_string

        form_class = import_string(form_path)
        pk = d.draw(st.sampled_from(c.pools["handoff"]))
        pools = {"user": sample(c.pools["coordinator"])}
        return _path(url_name, pk), d.draw(submission(form_class, pools))

    return draw


def _handoff_bulk_assign(d, c):
    from marketing.forms.handoffs import HandoffBulkAssignForm

    pools = {
        "ids": st.lists(sample(c.pools["handoff"]), min_size=1, max_size=4),
        "assignee": st.sampled_from(c.pools["coordinator_name"]),
    }
    data = d.draw(submission(HandoffBulkAssignForm, pools))
    data["confirmed"] = d.draw(st.sampled_from(["yes", "yes", ""]))
    return _path("marketing:handoff_bulk_assign"), data


def _batch_promote(d, c):
    from intake.forms import BatchPromoteForm

    pools = {
        "batch_id": st.sampled_from(c.pools["batch"]),
        "load_ids": st.lists(sample(c.pools["load"]), min_size=1, max_size=4),
    }
    return _path("intake:batch_promote"), d.draw(submission(BatchPromoteForm, pools))


EMAILS = st.one_of(
    st.emails().map(lambda e: e[:200]),
    st.sampled_from(["a@b.co", "ANNA@Example.COM", "é@bücher.de", "x" * 64 + "@e.com"]),
    hostile,
)
ROW = st.fixed_dictionaries(
    {"email": EMAILS},
    optional={
        "full_name": mix(words),
        "first_name": mix(words),
        "title": mix(st.sampled_from(["CEO", "Chief Financial Officer", "HR Director"])),
        "company_name": mix(words),
        "linkedin_url": mix(st.just("https://www.linkedin.com/in/x")),
    },
)


def _pasted(rows):
    return json.dumps(rows, ensure_ascii=False)


def _batch_upload(d, c):
    from intake.forms import BatchUploadForm

    pools = {
        "pasted": st.lists(ROW, min_size=1, max_size=4).map(_pasted),
        "batch_id": st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,20}\Z"),
    }
    fields = {k: v for k, v in BatchUploadForm.base_fields.items() if k != "file"}
    data = d.draw(submission(BatchUploadForm, pools, fields))
    return _path("intake:batch_upload"), data


MAP_HEADERS = ["E-mail address", "Person", "Firm", "Notes"]
UPLOAD_DIR = Path(tempfile.gettempdir()) / "outreach-intake-uploads"


def _pending_csv(c):
    """A CSV waiting for its mapping, as the upload step leaves it (file + session entry)."""
    token = uuid.uuid4().hex
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    (UPLOAD_DIR / f"{token}.csv").write_text(
        ",".join(MAP_HEADERS) + "\nann@example.com,Ann Lee,Acme,hi\nbo@example.com,Bo,Beta,\n"
    )
    session = c.client.session
    session["intake_pending_csv"] = {
        "token": token,
        "name": "people.csv",
        "source": "manual",
        "batch_id": f"map-{token[:8]}",
        "headers": MAP_HEADERS,
    }
    session.save()


def _mapping_form(data, c):
    from intake.forms import CsvMappingForm
    from intake.parsing import guess_mapping

    return CsvMappingForm(data, headers=MAP_HEADERS, guesses=guess_mapping(MAP_HEADERS))


def _batch_upload_map(d, c):
    fields = _mapping_form(None, c).fields
    email_first = {"col_0": st.just("email"), "col_1": st.sampled_from(["name", "__keep__"])}
    data = d.draw(submission(None, email_first, fields))
    return _path("intake:batch_upload_map"), data


def _saved_view(d, c):
    from overview.saved_views import SavedViewForm

    pools = {
        "path": st.sampled_from(
            ["/companies/", "/people/?q=ann", "/marketing/campaigns/?status=draft", "/nope/"]
        ),
        "shared": st.sampled_from(["on", ""]),
    }
    return _path("saved_view_create"), d.draw(submission(SavedViewForm, pools))


def _form(path):
    from django.utils.module_loading import import_string

    return import_string(path)


ACTIONS = [
    Action(
        "companies:slot_assign",
        "companies.forms.SlotAssignForm",
        _slot_assign,
        {"company.company_slot"},
    ),
    Action(
        "companies:slot_clear",
        "companies.forms.SlotClearForm",
        _slot_clear,
        {"company.company_slot"},
    ),
    Action(
        "companies:slot_bulk_fill",
        "companies.forms.SlotBulkFillForm",
        _slot_bulk_fill,
        {"company.company_slot"},
        noop=re.compile(r"Bulk fill done: 0 filled"),
    ),
    Action(
        "people:bulk_merge",
        "people.forms.BulkMergeForm",
        _bulk_merge,
        {"people.merge_log"},
        success=re.compile(r"Bulk merge: [1-9][0-9]* of"),
    ),
    Action(
        "people:person_merge", "people.forms.PersonMergeForm", _person_merge, {"people.merge_log"}
    ),
    Action(
        "people:resolution_defer",
        "people.forms.PairActionForm",
        _pair_action("people:resolution_defer"),
        {"people.resolution_queue"},
    ),
    Action(
        "people:resolution_not_duplicate",
        "people.forms.PairActionForm",
        _pair_action("people:resolution_not_duplicate"),
        {"people.resolution_queue"},
    ),
    Action(
        "marketing:campaign_create",
        "marketing.forms.campaigns.CampaignForm",
        _campaign_create,
        {"marketing.campaign"},
    ),
    Action(
        "marketing:campaign_transition",
        "marketing.forms.campaigns.CampaignTransitionForm",
        _campaign_transition,
        {"marketing.campaign"},
    ),
    Action(
        "marketing:campaign_member_outcome",
        "marketing.forms.campaigns.CampaignMemberOutcomeForm",
        _campaign_member_outcome,
        {"marketing.campaign_contact"},
    ),
    Action(
        "marketing:campaign_bulk_transition",
        "marketing.forms.campaigns.CampaignBulkTransitionForm",
        _campaign_bulk_transition,
        {"marketing.campaign"},
    ),
    Action(
        "marketing:booking_add",
        "marketing.forms.handoffs.BookingEventForm",
        _booking,
        {"marketing.booking_event"},
    ),
    Action(
        "marketing:message_add",
        "marketing.forms.handoffs.MessageLogForm",
        _message,
        {"marketing.message_log"},
    ),
    *[
        Action(
            f"marketing:handoff_{verb}",
            f"marketing.forms.handoffs.{form}",
            _handoff(f"marketing:handoff_{verb}", f"marketing.forms.handoffs.{form}"),
            {"marketing.ac_handoff"},
        )
        for verb, form in [
            ("accept", "HandoffActionForm"),
            ("close", "HandoffActionForm"),
            ("reject", "HandoffRejectForm"),
            ("reassign", "HandoffReassignForm"),
        ]
    ],
    Action(
        "marketing:handoff_bulk_assign",
        "marketing.forms.handoffs.HandoffBulkAssignForm",
        _handoff_bulk_assign,
        {"marketing.ac_handoff"},
    ),
    Action(
        "intake:batch_promote",
        "intake.forms.BatchPromoteForm",
        _batch_promote,
        {"intake.audit_log"},
    ),
    Action(
        "intake:batch_upload",
        "intake.forms.BatchUploadForm",
        _batch_upload,
        {"intake.raw_loads"},
        noop=re.compile(r": 0 stored as pending, 0 duplicates"),
    ),
    Action(
        "intake:batch_upload_map",
        "intake.forms.CsvMappingForm",
        _batch_upload_map,
        {"intake.raw_loads"},
        bind=_mapping_form,
        before=_pending_csv,
    ),
    Action(
        "saved_view_create",
        "overview.saved_views.SavedViewForm",
        _saved_view,
        {"outreach_admin_savedview"},
    ),
]
# Forms no view binds: reported, not driven (MergeUndoView posts without a form).
UNBOUND = {"MergeUndoForm"}
# The worker API's forms: token-authenticated JSON, driven by Hypothesis through schemathesis
# in tests/intake/test_api_schemathesis.py (valid ⇒ 2xx and stored, invalid ⇒ 400, no 5xx).
API_FORMS = {
    "ClaimForm",
    "CompanyResultForm",
    "ProfileResultForm",
    "EmailResultForm",
    "LinkedinJobForm",
    "ActorUsageForm",
}
# POST endpoints that bind no form class (a pk in the URL, or a login/logout).
NO_FORM = {
    "login",
    "logout",
    "people:merge_undo",
    "intake:detect_duplicates",
    "marketing:campaign_member_remove",
    "signals:signal_process",
    "saved_view_delete",
}


def test_every_form_has_a_view_strategy():
    """Each discovered form is driven through a view here, or is an API form or unbound."""
    driven = {a.form.rsplit(".", 1)[1] for a in ACTIONS}
    missing = {c.__name__ for c in project_forms()} - driven - UNBOUND - API_FORMS
    assert not missing, f"add an Action (view + strategy) for {sorted(missing)}"


def test_every_post_endpoint_is_driven_or_formless():
    """Each session POST endpoint is an Action here or binds no form."""
    missing = {n for n, _ in post_urls()} - {a.url_name for a in ACTIONS} - NO_FORM
    assert not missing, f"add an Action for {sorted(missing)}"


def test_unbound_forms_are_really_unbound():
    """A form listed as bound by no view is named in no view module (else drive it)."""
    sources = " ".join(
        Path(p).read_text()
        for p in Path(__file__).resolve().parents[2].glob("*/views.py")
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
