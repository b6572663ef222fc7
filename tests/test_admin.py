"""Django admin: every model of the five apps is registered, its pages render for a superuser,
read-only tables stay read-only, and changelists cost a fixed number of queries.

Rows are built with owner rights (``@pytest.mark.owner``) because some tables (the intake audit
log) are not writable by the app role; the admin requests themselves still run as the app role
(the middleware drops to it), so its grants apply to every page.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from companies.models import (
    Company,
    CompanyFieldProvenance,
    CompanyHistory,
    CompanyIntelligence,
    CompanySlot,
)
from intake.models import (
    ActorUsageLog,
    AuditLog,
    BatchSummary,
    CompanyRawIntake,
    LinkedinRefreshJob,
    PleCycle,
    PleLog,
    PleStep,
    RawLoad,
    SavedMapping,
    ShqErrorLog,
    UploadJob,
    VaultContact,
    WorkerAuthFailure,
    WorkerToken,
    WorkItemLease,
)
from intake.services import hash_token
from marketing.models import (
    AcHandoff,
    Attribution,
    BookingEvent,
    Campaign,
    CampaignContact,
    FeedbackReport,
    MarketingHistory,
    MessageLog,
    PipelineEvent,
)
from people.models import (
    AddressVerification,
    Contact,
    EmailVerification,
    Enrichment,
    MergeLog,
    PersonFieldProvenance,
    PersonHistory,
    PersonIntelligence,
    ResolutionQueue,
)
from signals.models import CompanyScore, ContactScore, Signal, SignalHistory
from tests import builders

pytestmark = [pytest.mark.django_db, pytest.mark.owner]

APPS = ("companies", "people", "marketing", "intake", "signals")
MODELS = [m for label in APPS for m in apps.get_app_config(label).get_models()]
READ_ONLY = {
    AddressVerification,
    CompanyHistory,
    PersonHistory,
    MergeLog,
    AuditLog,
    BatchSummary,
    RawLoad,
    VaultContact,
    PleCycle,
    PleStep,
    PleLog,
    PipelineEvent,
    MarketingHistory,
    SignalHistory,
    CompanyFieldProvenance,
    PersonFieldProvenance,
}
# Written only by SQL functions under row-level security (the batch summary by triggers on raw
# loads, field provenance by vault.f_promote_contacts, AddressVerification by the people 0050
# e-mail trigger): no rows are built for them.
FUNCTION_WRITTEN = {
    RawLoad,
    VaultContact,
    BatchSummary,
    CompanyFieldProvenance,
    PersonFieldProvenance,
    AddressVerification,
}
# The tables a coordinator's day runs on; their changelists are checked at two sizes.
BIG_TABLES = [
    Company,
    CompanySlot,
    Contact,
    CampaignContact,
    MessageLog,
    AcHandoff,
    ResolutionQueue,
    Signal,
]
MAX_CHANGELIST_QUERIES = 12


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _build_world(n):
    """``n`` companies with filled slots and the marketing/signal rows hanging off them."""
    now = timezone.now()
    campaign = Campaign.objects.create(name=f"Renewal wave {n}", type="renewal")
    rows, bookings = [], []
    for i in range(n):
        company = builders.company(f"Admin Co {n}-{i}", renewal_month=(i % 12) + 1)
        person = builders.contact(
            f"Pat Admin {n}-{i}", title="CFO", company=company, email_status="green"
        )
        other = builders.contact(f"Pat Admyn {n}-{i}", title="Controller", company=company)
        CompanySlot.objects.filter(company=company, role_code="CFO").update(contact=person)
        CampaignContact.objects.create(
            campaign=campaign, contact=person, company=company, role_code="CFO"
        )
        rows.append((company, person, other))
    # Members join while the campaign is draft (database rule); outreach starts once active.
    Campaign.objects.filter(pk=campaign.pk).update(status="active")
    CampaignContact.objects.filter(campaign=campaign).update(status="sent")
    campaign.refresh_from_db()
    for company, person, other in rows:
        MessageLog.objects.create(campaign=campaign, contact=person, subject="Renewal")
        booking = BookingEvent.objects.create(
            contact=person, company=company, campaign=campaign, event_time=now
        )
        AcHandoff.objects.create(company=company, contact=person, booking_event=booking)
        ResolutionQueue.objects.create(
            contact_primary=person, contact_duplicate=other, conflict_type="name_company", score=0.8
        )
        Signal.objects.create(company=company, contact=person, reason="funding_raised")
        bookings.append(booking)
    return campaign, [(*row, booking) for row, booking in zip(rows, bookings, strict=True)]


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", "root@example.com", "pass-1234-word")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def one_of_each():
    """One row of every model that a form or the ORM may write."""
    campaign, [(company, person, other, booking)] = _build_world(1)
    EmailVerification.objects.create(contact=person, email_status="green", confidence=97)
    merge = MergeLog.objects.create(survivor=person, absorbed=other, merged_by="alice")
    cycle = PleCycle.objects.create(cycle_name="ingest", status="completed")
    step = PleStep.objects.create(cycle=cycle, step_name="load", status="completed")
    rows = {
        Company: company,
        CompanySlot: CompanySlot.objects.get(company=company, role_code="CFO"),
        CompanyIntelligence: CompanyIntelligence.objects.create(
            company=company, intelligence_type="news", title="Raises Series B", score=70
        ),
        CompanyHistory: CompanyHistory.objects.filter(company_id=company.pk).first(),
        Contact: person,
        EmailVerification: EmailVerification.objects.filter(contact=person).first(),
        ResolutionQueue: ResolutionQueue.objects.first(),
        MergeLog: merge,
        PersonIntelligence: PersonIntelligence.objects.create(
            contact=person, intelligence_type="job_change", new_value="CFO"
        ),
        Enrichment: Enrichment.objects.create(
            contact=person, agent_name="apify", enrichment_type="linkedin"
        ),
        PersonHistory: PersonHistory.objects.filter(contact_id=person.pk).first(),
        Campaign: campaign,
        CampaignContact: CampaignContact.objects.first(),
        MessageLog: MessageLog.objects.first(),
        MarketingHistory: MarketingHistory.objects.first(),
        BookingEvent: booking,
        AcHandoff: AcHandoff.objects.first(),
        Attribution: Attribution.objects.create(
            contact=person, campaign=campaign, conversion_type="meeting"
        ),
        FeedbackReport: FeedbackReport.objects.create(
            campaign=campaign, report_date=dt.date(2026, 1, 5)
        ),
        PipelineEvent: PipelineEvent.objects.create(
            event_type="contact_promoted", entity_type="person", entity_id=str(person.pk)
        ),
        AuditLog: AuditLog.objects.create(action="ingest", batch_id="b-1", record_count=3),
        CompanyRawIntake: CompanyRawIntake.objects.create(company_name="Raw Co", state="TX"),
        PleCycle: cycle,
        PleStep: step,
        PleLog: PleLog.objects.create(step=step, message="3 rows loaded"),
        ShqErrorLog: ShqErrorLog.objects.create(
            unique_id="err-1", error_type="timeout", severity="low"
        ),
        LinkedinRefreshJob: LinkedinRefreshJob.objects.create(
            person_unique_id="04.04.02.26.00001.001", linkedin_url="https://linkedin.com/in/x"
        ),
        ActorUsageLog: ActorUsageLog.objects.create(
            actor_id="apify/linkedin", run_id="r-1", status="SUCCEEDED"
        ),
        WorkerToken: (
            worker := WorkerToken.objects.create(
                name="site-scraper", kind="scraper", token_hash=hash_token("wk_test")
            )
        ),
        WorkItemLease: WorkItemLease.objects.create(
            queue="company_urls",
            item_key=f"{company.pk}:website",
            worker=worker,
            leased_until=timezone.now(),
        ),
        WorkerAuthFailure: WorkerAuthFailure.objects.create(
            client="198.51.100.7", window_start=timezone.now(), failures=3
        ),
        SavedMapping: SavedMapping.objects.create(
            source="apollo",
            preset="apollo",
            mapping={"Email": "email", "Notes": "__keep__"},
            headers=["Email", "Notes"],
            updated_by="alice",
        ),
        UploadJob: UploadJob.objects.create(
            batch_id="big-1",
            source="apollo",
            file_name="big.csv",
            file_path="/tmp/outreach-intake-uploads/none.csv",
            kind="csv",
            mapping={"Email": "email"},
            created_by="alice",
        ),
        Signal: Signal.objects.first(),
        SignalHistory: SignalHistory.objects.first(),
        CompanyScore: CompanyScore.objects.create(company=company, total_score=40),
        ContactScore: ContactScore.objects.create(contact=person, engagement_score=20),
    }
    from people.models import ContactVerification

    rows[ContactVerification] = ContactVerification.objects.get(contact=person)
    return rows


def test_every_model_is_registered():
    """Each model of companies, people, marketing, intake and signals has an admin."""
    missing = [m.__name__ for m in MODELS if not admin.site.is_registered(m)]
    assert missing == []


def test_row_builder_covers_every_writable_model(one_of_each):
    """The fixture builds a row for every model except the function-written ones."""
    assert set(MODELS) - FUNCTION_WRITTEN == set(one_of_each)
    assert all(row is not None for row in one_of_each.values())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_change_and_search_pages_render(
    admin_client, one_of_each, django_assert_max_num_queries, model
):
    """Changelist (in bounded queries), change page (when a row exists) and a search return 200."""
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "changelist"), {"q": "a 1"}).status_code == 200
    row = one_of_each.get(model)
    if row is not None:
        assert admin_client.get(_url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize("model", sorted(READ_ONLY, key=str), ids=lambda m: m._meta.label)
def test_read_only_models_refuse_add_change_and_delete(admin_client, one_of_each, model):
    """History, audit, pipeline and RLS tables: add is 403 and nothing can be saved or deleted."""
    assert admin_client.get(_url(model, "add")).status_code == 403
    row = one_of_each.get(model)
    if row is not None:
        before = model.objects.count()
        assert admin_client.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
        assert model.objects.count() == before
        page = admin_client.get(_url(model, "change", row.pk))
        assert b'name="_save"' not in page.content


@pytest.mark.parametrize("model", [Company, Contact, Campaign, AcHandoff, Signal])
def test_writable_models_offer_the_add_form(admin_client, model):
    """The everyday tables can be added to from the admin."""
    assert admin_client.get(_url(model, "add")).status_code == 200


def test_adding_a_worker_token_shows_the_token_once_and_stores_its_hash(admin_client):
    """The admin creates tokens through the service: plain token in a message, hash in the row."""
    form = {"name": "verifier-1", "kind": "verifier", "active": "on", "rate_limit_per_minute": 120}
    response = admin_client.post(_url(WorkerToken, "add"), form, follow=True)
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"] if "wk_" in str(m)]
    token = message.split(": ", 1)[1].split(" ")[0]
    row = WorkerToken.objects.get(name="verifier-1")
    with connection.cursor() as cursor:  # the hash is the owner's to read (intake 0091)
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT token_hash FROM intake.worker_token WHERE token_id = %s", [row.pk])
        [(stored,)] = cursor.fetchall()
        cursor.execute("SET LOCAL ROLE outreach_app")
    assert token.startswith("wk_") and stored == hash_token(token)
    assert row.rate_limit_per_minute == 120
    assert token not in admin_client.get(_url(WorkerToken, "change", row.pk)).content.decode()


def test_a_database_rule_refusal_is_a_message_not_an_error_page(admin_client):
    """A change the schema refuses (campaign active → draft) is reported; nothing changes."""
    campaign = Campaign.objects.create(name="Spring renewals", type="renewal")
    Campaign.objects.filter(pk=campaign.pk).update(status="active")
    form = {
        "name": "Spring renewals",
        "type": "renewal",
        "status": "draft",
        "sent_count": 0,
        "response_count": 0,
    }
    response = admin_client.post(_url(Campaign, "change", campaign.pk), form, follow=True)
    assert response.status_code == 200
    assert "the database refused the change" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == "active"


def test_barton_ids_are_read_only(admin_client, one_of_each):
    """Barton IDs are shown but never offered as inputs."""
    company = one_of_each[Company]
    page = admin_client.get(_url(Company, "change", company.pk)).content.decode()
    assert company.company_unique_id in page
    assert 'name="company_unique_id"' not in page
    assert 'name="slots-0-company_slot_unique_id"' not in page
    person = one_of_each[Contact]
    page = admin_client.get(_url(Contact, "change", person.pk)).content.decode()
    assert person.unique_id in page
    assert 'name="unique_id"' not in page


def test_company_change_page_shows_its_slots_with_contacts(admin_client, one_of_each):
    """The company page lists its three slots and the person in the filled one."""
    company = one_of_each[Company]
    page = admin_client.get(_url(Company, "change", company.pk)).content.decode()
    for role in ("CEO", "CFO", "HR"):
        assert f"<p>{role}</p>" in page
    assert 'name="slots-1-contact"' in page
    assert one_of_each[Contact].email in page


def test_adding_a_company_creates_its_three_slots_with_history(admin_client, superuser):
    """A company added in the admin gets its CEO/CFO/HR slots; history names the admin user."""
    form = {
        "company_name": "Blue Heron Logistics",
        "status": "active",
        "website_url": "https://www.blueheron.example",
        "renewal_notice_window_days": "120",
        "source_system": "manual",
        "slots-TOTAL_FORMS": "0",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "3",
    }
    response = admin_client.post(_url(Company, "add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    company = Company.objects.get(company_name="Blue Heron Logistics")
    assert company.domain == "blueheron.example"
    assert sorted(company.slots.values_list("role_code", flat=True)) == ["CEO", "CFO", "HR"]
    assert set(
        CompanyHistory.objects.filter(company_id=company.pk).values_list("changed_by", flat=True)
    ) == {superuser.username}


def test_slot_inline_refuses_a_merged_person_with_a_message(admin_client, one_of_each):
    """Putting a merged person into a slot is a form error, not a database error page."""
    company = one_of_each[Company]
    survivor = one_of_each[Contact]
    merged = builders.contact("Old Record", status="merged", merged_into=survivor)
    slots = list(CompanySlot.objects.filter(company=company).order_by("role_code"))
    form = {
        "company_name": company.company_name,
        "status": "active",
        "website_url": company.website_url or "",
        "domain": company.domain or "",
        "renewal_month": company.renewal_month or "",
        "renewal_notice_window_days": "120",
        "source_system": "manual",
        "slots-TOTAL_FORMS": "3",
        "slots-INITIAL_FORMS": "3",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "3",
    }
    for i, s in enumerate(slots):
        form[f"slots-{i}-company_slot_id"] = s.pk
        form[f"slots-{i}-company"] = company.pk
        form[f"slots-{i}-contact"] = s.contact_id or ""
    form["slots-0-contact"] = merged.pk
    response = admin_client.post(_url(Company, "change", company.pk), form)
    assert response.status_code == 200
    assert "was merged into another record" in response.content.decode()
    assert CompanySlot.objects.get(pk=slots[0].pk).contact_id is None


def test_changelist_query_count_does_not_grow_with_rows(admin_client):
    """3 rows and 30 rows cost the same, bounded number of queries on the big tables."""

    def cost():
        counts = {}
        for model in BIG_TABLES:
            with CaptureQueriesContext(connection) as queries:
                assert admin_client.get(_url(model, "changelist")).status_code == 200
            counts[model._meta.label] = len(queries)
        return counts

    _build_world(3)
    admin_client.get(_url(Company, "changelist"))  # warm the per-process grant cache
    small = cost()
    _build_world(27)
    assert Company.objects.count() == 30
    big = cost()
    assert big == small
    assert max(big.values()) <= MAX_CHANGELIST_QUERIES
