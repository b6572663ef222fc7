"""The POST views driven by ``test_services_hypothesis``: per action the form it binds, how an
example draws (path, data) and the table a success writes; the forms and endpoints driven
elsewhere or bound by no form."""

from __future__ import annotations

import json
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse
from hypothesis import strategies as st

from tests.web.strategies import hostile, mix, sample, submission, words

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


COMPANY_POOLS = {
    "website_url": st.sampled_from(
        ["", "https://hypothesis.example.com", "http://www.hyp-two.example.org/about", "x"]
    ),
    "renewal_notice_window_days": st.sampled_from(["0", "120", "365", "366", "-1"]),
}


def _company_create(d, c):
    from companies.forms import CompanyForm

    return _path("companies:company_create"), d.draw(submission(CompanyForm, COMPANY_POOLS))


def _company_edit(d, c):
    from companies.forms import CompanyEditForm
    from companies.models import Company

    pk = d.draw(st.sampled_from(c.pools["company"]))
    seen = Company.objects.values_list("updated_at", flat=True).get(pk=pk).isoformat()
    pools = {**COMPANY_POOLS, "expected_updated_at": st.sampled_from([seen, seen, "2001-01-01"])}
    return _path("companies:company_edit", pk), d.draw(submission(CompanyEditForm, pools))


PERSON_POOLS = {
    "email": st.sampled_from(["", "hyp.person@example.com", "not-an-email", "a@b.c"]),
    "work_phone_e164": st.sampled_from(["", "+1 614 555 0142", "555", "(614) 555-0143"]),
    "personal_phone_e164": st.sampled_from(["", "+44 20 7946 0958", "x"]),
    "linkedin_url": st.sampled_from(["", "linkedin.com/in/hyp", "javascript:alert(1)"]),
    "status": st.sampled_from(["active", "inactive", "bounced", "unsubscribed", "merged"]),
}


def _person_create(d, c):
    from people.forms import ContactForm

    return _path("people:contact_create"), d.draw(submission(ContactForm, PERSON_POOLS))


def _person_edit(d, c):
    from people.forms import ContactEditForm
    from people.models import Contact

    pk = d.draw(st.sampled_from(c.pools["contact"]))
    seen = Contact.objects.values_list("updated_at", flat=True).get(pk=pk).isoformat()
    pools = {**PERSON_POOLS, "expected_updated_at": st.sampled_from([seen, seen, "2001-01-01"])}
    return _path("people:contact_edit", pk), d.draw(submission(ContactEditForm, pools))


def _job_change(d, c):
    """A demo pair, or (half the time) a fresh pending pair of one person at two companies,
    made inside the example's rolled-back transaction so a link can succeed."""
    from people.forms import JobChangeForm
    from people.models import ResolutionQueue
    from tests import builders as b

    if d.draw(st.booleans()):
        former = b.contact("Hyp Mover", company=b.company())
        current = b.contact("Hyp Mover", company=b.company())
        pair = ResolutionQueue.objects.create(
            contact_primary=former,
            contact_duplicate=current,
            conflict_type="name_similar",
            score="0.800",
        )
        pk, ids = pair.pk, [former.pk, current.pk]
    else:
        pk = d.draw(st.sampled_from(c.pools["pair"]))
        ids = list(
            ResolutionQueue.objects.filter(pk=pk).values_list(
                "contact_primary_id", "contact_duplicate_id"
            )[0]
        )
    pools = {"current_id": sample([str(i) for i in ids])}
    return _path("people:resolution_job_change", pk), d.draw(submission(JobChangeForm, pools))


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

    pools = {
        "contact": _contact_ref(c),
        "campaign": sample(c.pools["campaign"]),
        "event_time": _meeting_time(),
    }
    return _path("marketing:booking_add"), d.draw(submission(BookingEventForm, pools))


def _meeting_time():
    """A meeting time around today, mostly inside the booking window (90 days back, a year
    ahead; ``meeting_time_problem``), sometimes just outside it. Drawn as minutes from now, so
    Hypothesis sees the same draws whenever the test runs (bounds built from the clock made its
    data generation "inconsistent" between examples)."""
    import datetime as dt

    def at(minutes: int) -> str:
        now = dt.datetime.now().replace(second=0, microsecond=0)
        return (now + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")

    return st.integers(min_value=-120 * 24 * 60, max_value=400 * 24 * 60).map(at)


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
        "assignee": sample(c.pools["coordinator"]),
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
        "companies:company_create",
        "companies.forms.CompanyForm",
        _company_create,
        {"company.company"},
    ),
    Action(
        "companies:company_edit",
        "companies.forms.CompanyEditForm",
        _company_edit,
        {"company.company"},
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
        "people:contact_create",
        "people.forms.ContactForm",
        _person_create,
        {"people.contact"},
    ),
    Action(
        "people:contact_edit",
        "people.forms.ContactEditForm",
        _person_edit,
        {"people.contact"},
    ),
    Action(
        "people:resolution_job_change",
        "people.forms.JobChangeForm",
        _job_change,
        {"people.resolution_queue"},
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
# The sign-in forms (Django's AuthenticationForm with a bounded username): driven by the login
# corpus in tests/web/test_bad_input.py and by tests/web/test_login_throttle.py; the login
# endpoint itself is in NO_FORM below (it binds Django's own view, not a project view).
SIGN_IN_FORMS = {"LoginForm", "AdminLoginForm"}
# Forms only ever subclassed (a field mixed into edit forms): driven through their subclasses,
# which test_base_forms_are_driven_through_a_subclass checks are Actions here.
BASE_FORMS = {"ExpectedVersionForm"}
# POST endpoints that bind no form class (a pk in the URL, or a login/logout).
NO_FORM = {
    "login",
    "logout",
    "people:merge_undo",
    "intake:detect_duplicates",
    "intake:upload_job_cancel",
    "marketing:campaign_member_remove",
    "signals:signal_process",
    "saved_view_delete",
}
