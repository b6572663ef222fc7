"""The renewals page: readiness checklist (one scenario per missing item), ready first, filters,
selection checkboxes, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketing import services
from marketing.models import Campaign, CampaignContact
from marketing.selectors import RenewalReadiness, renewal_list
from people.models import ResolutionQueue
from tests import builders as b
from tests.marketing.test_campaign_rules import renewal_company, seat


@pytest.fixture
def coordinator_client(client):
    client.force_login(b.user(group="coordinator"))
    return client


def _dup(co):
    p = seat(co, "CEO")
    ResolutionQueue.objects.create(
        contact_primary=p, contact_duplicate=b.contact(), conflict_type="email", score="0.95"
    )


def _campaign(co):
    p = seat(co, "CEO")
    c = Campaign.objects.create(name="Autumn", type="renewal")
    CampaignContact.objects.create(campaign=c, contact=p, company=co, role_code="CEO")


SCENARIOS = [
    ("ready", {}, lambda co: seat(co, "CEO"), []),
    ("no green", {}, lambda co: seat(co, "CEO", email_status="yellow"), ["no green slot contact"]),
    ("all empty", {}, lambda co: None, ["no green slot contact"]),
    (
        "archived",
        {"status": "archived"},
        lambda co: None,
        ["no green slot contact", "company archived"],
    ),
    ("duplicate", {}, _dup, ["duplicate pending review"]),
    ("in campaign", {}, _campaign, ["already in campaign “Autumn”"]),
    (
        "not in window",
        {"opens_in": 10},
        lambda co: seat(co, "CEO"),
        ["renewal window not open yet"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "fields", "setup", "missing"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_readiness_checklist(label, fields, setup, missing):
    """Each scenario lists exactly what is missing; ready only when nothing is."""
    fields = dict(fields)
    status = fields.pop("status", None)
    co = renewal_company(**fields)
    setup(co)
    if status:
        co.status = status
        co.save(update_fields=["status"])
    r = RenewalReadiness.objects.get(pk=co.pk)
    assert r.missing == missing
    assert r.ready is (missing == [])


@pytest.mark.django_db
def test_ready_first_and_missing_shown(coordinator_client):
    """Ready companies come first; the others show what is missing."""
    late = renewal_company(name="Zeta ready")
    seat(late, "CEO")
    early = renewal_company(name="Alpha not ready", opens_in=-30)
    seat(early, "CFO", email_status="red")
    html = coordinator_client.get(reverse("marketing:renewal_list")).content.decode()
    assert html.index("Zeta ready") < html.index("Alpha not ready")
    assert "no green slot contact" in html
    assert f'name="company" value="{late.pk}"' in html


@pytest.mark.django_db
def test_default_lists_open_windows_and_opens_within_widens(coordinator_client):
    """Without a filter only open windows are listed; 'opens within N' adds upcoming ones."""
    renewal_company(name="Open now")
    renewal_company(name="Opens soon", opens_in=20)
    url = reverse("marketing:renewal_list")
    html = coordinator_client.get(url).content.decode()
    assert "Open now" in html and "Opens soon" not in html
    html = coordinator_client.get(url + "?opens_within=30").content.decode()
    assert "Open now" in html and "Opens soon" in html
    html = coordinator_client.get(url + "?opens_within=10").content.decode()
    assert "Opens soon" not in html


@pytest.mark.django_db
def test_filters_industry_state_month_coverage_ready(coordinator_client):
    """Industry, state, renewal month, role coverage and readiness filter the list."""
    a = renewal_company(name="Dental TX", industry="Dental clinics", state_region="TX")
    seat(a, "CFO")
    z = renewal_company(name="Retail CA", industry="Retail", state_region="CA")
    seat(z, "CEO", email_status="yellow")
    url = reverse("marketing:renewal_list")

    def names(query):
        html = coordinator_client.get(url + query).content.decode()
        return {n for n in ("Dental TX", "Retail CA") if n in html}

    assert names("?industry=dental") == {"Dental TX"}
    assert names("?state=ca") == {"Retail CA"}
    assert names("?coverage=CFO") == {"Dental TX"}
    assert names("?coverage=CEO") == set()
    assert names("?ready=no") == {"Retail CA"}
    assert names(f"?renewal_month={a.renewal_month}") == {"Dental TX", "Retail CA"}
    other = a.renewal_month % 12 + 1
    assert names(f"?renewal_month={other}") == set()


@pytest.mark.django_db
def test_bad_filter_input_gives_a_clear_message(coordinator_client):
    """A non-numeric 'opens within' shows a field error instead of failing."""
    response = coordinator_client.get(reverse("marketing:renewal_list") + "?opens_within=abc")
    assert response.status_code == 200
    assert "Enter a number" in response.content.decode()


@pytest.mark.django_db
def test_renewal_list_bounded_queries(coordinator_client):
    """The renewals page costs the same number of queries for 5 and 40 companies."""
    counts = []
    for n in (5, 40):
        while RenewalReadiness.objects.filter(in_window=True).count() < n:
            co = renewal_company()
            seat(co, "CEO")
            seat(co, "HR", email_status="red")
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(reverse("marketing:renewal_list")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_renewal_list_after_build_shows_company_in_campaign():
    """After a campaign is built, the company reads 'already in campaign' and is not ready."""
    co = renewal_company()
    seat(co, "CEO")
    services.campaign_create(
        name="Jan", type="renewal", target_roles=["CEO"], company_ids=[co.pk], actor="a"
    )
    r = renewal_list().get(pk=co.pk)
    assert (r.ready, r.missing) == (False, ["already in campaign “Jan”"])
