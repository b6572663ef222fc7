"""Home dashboard (issue 9): every number equals a direct count, every link lists those rows,
and the page costs a bounded number of queries."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from companies.models import CompanySlot
from intake.models import RawLoad
from intake.services import batch_ingest, loads_promote
from marketing.filters.campaigns import CampaignFilterSet, RenewalReadinessFilterSet
from marketing.filters.handoffs import AcHandoffFilterSet
from marketing.models import AcHandoff, Campaign, CampaignContact
from marketing.selectors.campaigns import RenewalReadiness, renewal_list
from marketing.selectors.funnel import MEMBER_FUNNEL
from marketing.selectors.handoffs import handoff_queryset
from overview import dashboard
from people.filters import ContactFilterSet
from people.models import Contact, ContactVerification, ResolutionQueue
from people.selectors import contact_queryset
from tests import builders

pytestmark = pytest.mark.django_db


def _scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


@pytest.fixture
def me():
    return builders.user("casey")


@pytest.fixture
def seeded(me):
    """Demo data, two promoted and one pending raw load, and some work that belongs to ``me``."""
    call_command("seed_demo", "--companies", "30", stdout=io.StringIO())
    batch_ingest(
        rows=[{"email": "ann@dash.example", "name": "Ann"}, {"email": "bo@dash.example"}],
        source="apollo",
        batch_id="dash-1",
    )
    loads_promote(load_ids=None)
    batch_ingest(rows=[{"email": "cy@dash.example"}], source="apollo", batch_id="dash-2")
    AcHandoff.objects.filter(status="pending").order_by("pk").update(assigned_to=None)
    first = AcHandoff.objects.filter(status="pending").order_by("pk").first()
    if first:
        AcHandoff.objects.filter(pk=first.pk).update(assigned_to=me)
    Campaign.objects.create(name="Casey's push", created_by="Casey")
    return me


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_funnel_counts_equal_direct_counts(seeded):
    """Each funnel stage equals the count of what it stands for, counted independently."""
    counts = {s["key"]: s["count"] for s in dashboard.funnel()}
    assert counts["raw_loads"] == RawLoad.objects.count() > 0
    assert counts["promoted"] == RawLoad.objects.filter(status="promoted").count() > 0
    assert counts["people"] == Contact.objects.count()
    assert counts["slotted"] == (
        Contact.objects.filter(pk__in=CompanySlot.objects.values("contact_id")).count()
    )
    assert counts["green"] == ContactVerification.objects.filter(email_status="green").count()
    members = CampaignContact.objects
    assert counts["members"] == members.count() > 0
    assert counts["contacted"] == members.exclude(status="pending").count()
    assert counts["opened"] == members.filter(status__in=["opened", "replied", "booked"]).count()
    assert counts["replied"] == members.filter(status__in=["replied", "booked"]).count()
    assert counts["booked"] == members.filter(status="booked").count()
    assert counts["handed_off"] == AcHandoff.objects.count()
    assert counts["people"] > counts["slotted"] > 0


def test_funnel_is_in_pipeline_order(seeded):
    """Stages run raw loads → people → members → contacted → opened → replied → booked →
    handed off, and each campaign stage counts a subset of the members of the stage before it."""
    keys = [s["key"] for s in dashboard.funnel()]
    assert keys == [
        "raw_loads",
        "promoted",
        "people",
        "slotted",
        "green",
        "members",
        "contacted",
        "opened",
        "replied",
        "booked",
        "handed_off",
    ]
    statuses = [st for _, _, st in MEMBER_FUNNEL]
    assert statuses[0] == set(CampaignContact.Status.values)
    assert all(later < earlier for earlier, later in zip(statuses, statuses[1:], strict=False))
    counts = [s["count"] for s in dashboard.funnel() if s["key"] in dict.fromkeys(keys[5:10])]
    assert counts == sorted(counts, reverse=True)


def test_funnel_links_list_the_counted_people(seeded):
    """The people stages link to the people list with filters that list exactly those counted."""
    stages = {s["key"]: s for s in dashboard.funnel()}
    assert stages["slotted"]["url"] == "/people/?has_slot=true"
    assert stages["green"]["url"] == "/people/?email_status=green"
    for key, data in (("slotted", {"has_slot": "true"}), ("green", {"email_status": "green"})):
        listed = ContactFilterSet(data, queryset=contact_queryset()).qs.count()
        assert listed == stages[key]["count"], key


def test_slot_coverage_equals_direct_counts(seeded):
    """Filled/total per role counts the slots of active companies; links open that role's slots."""
    for row in dashboard.slot_coverage():
        slots = CompanySlot.objects.filter(company__status="active", role_code=row["role"])
        assert row["total"] == slots.count()
        assert row["filled"] == slots.filter(contact__isnull=False).count()
        assert row["open"] == row["total"] - row["filled"]
        assert row["url"] == f"/companies/slots/?role_code={row['role']}"


def test_renewals_by_month_equal_the_view_and_its_filtered_list(seeded):
    """Twelve months; each month's renewals and ready counts equal the renewal list filtered
    by that month (the link), and together they cover every company with a renewal month."""
    months = dashboard.renewals_by_month()
    assert len(months) == 12
    assert sum(m["renewals"] for m in months) == RenewalReadiness.objects.count()
    assert sum(m["ready"] for m in months) == RenewalReadiness.objects.filter(ready=True).count()
    for m in months:
        data = {"renewal_month": str(m["month"].month), "opens_within": "365"}
        listed = RenewalReadinessFilterSet(data, queryset=renewal_list()).qs
        assert listed.count() == m["renewals"], m["label"]
        ready = RenewalReadinessFilterSet({**data, "ready": "yes"}, queryset=renewal_list()).qs
        assert ready.count() == m["ready"], m["label"]
        assert m["url"] == f"/marketing/renewals/?renewal_month={m['month'].month}&opens_within=365"


def test_work_counts_equal_direct_counts_and_list_filters(seeded):
    """Queues, duplicates, pending/overdue handoffs and my work equal direct counts, and the
    handoff and campaign links' filters list the same rows."""
    me = seeded
    work = dashboard.work(me)
    queues = {q["key"]: q["count"] for q in work["queues"]}
    assert queues == {
        "company_urls": _scalar("SELECT count(*) FROM company.next_company_urls_30d"),
        "profile_urls": _scalar("SELECT count(*) FROM people.next_profile_urls_30d"),
        "email_recheck": _scalar("SELECT count(*) FROM people.due_email_recheck_30d"),
    }
    assert (
        work["duplicates"]["count"]
        == ResolutionQueue.objects.filter(resolution_status="pending").count()
    )
    assert work["handoffs_pending"]["count"] == AcHandoff.objects.filter(status="pending").count()
    overdue = handoff_queryset().filter(is_overdue=True).count()
    assert work["handoffs_overdue"]["count"] == overdue
    listed = AcHandoffFilterSet(
        {"overdue": "yes"}, queryset=handoff_queryset(), request=_request(me)
    )
    assert listed.qs.count() == overdue
    mine = AcHandoffFilterSet(
        {"assignee": "me", "open": "yes"}, queryset=handoff_queryset(), request=_request(me)
    )
    assert work["my_handoffs"]["count"] == mine.qs.count() == 1
    assert work["my_campaigns"]["count"] == 1
    owned = CampaignFilterSet({"created_by": "casey"}, queryset=Campaign.objects.all())
    assert owned.qs.count() == 1
    assert work["my_campaigns"]["url"] == "/marketing/campaigns/?created_by=casey"


def test_home_page_shows_numbers_charts_data_and_bounded_queries(
    client, seeded, django_assert_max_num_queries
):
    """The dashboard renders with its chart data as JSON and costs at most 10 queries."""
    client.force_login(seeded)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-data"' in html and 'type="application/json"' in html
    assert "vendor/chartjs/chart.umd.js" in html and "js/dashboard.js" in html
    assert 'href="/people/?has_slot=true"' in html
    assert 'href="/marketing/handoffs/?overdue=yes"' in html
    data = response.context["chart_data"]
    assert len(data["renewals"]["labels"]) == 12
    assert data["funnel"]["values"][0] == RawLoad.objects.count()


def test_dashboard_query_count_does_not_grow_with_data(client, me, django_assert_max_num_queries):
    """An empty database costs the same bounded number of queries and shows zeros."""
    client.force_login(me)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert all(v == 0 for v in response.context["chart_data"]["funnel"]["values"])


def test_anonymous_visitor_is_sent_to_login(client):
    """The dashboard needs a signed-in user."""
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_queue_sizes_stop_counting_past_the_cap(seeded, monkeypatch):
    """A queue bigger than the cap is counted to cap + 1 and shown as capped, not walked whole."""
    monkeypatch.setattr(dashboard, "QUEUE_COUNT_CAP", 1)
    full = _scalar("SELECT count(*) FROM company.next_company_urls_30d")
    assert full > 2, "the seeded data needs a queue longer than the cap"
    (company_urls,) = [q for q in dashboard.work(seeded)["queues"] if q["key"] == "company_urls"]
    assert company_urls["count"] == 2 and company_urls["capped"]
