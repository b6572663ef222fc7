"""The renewals page: readiness checklist (one scenario per missing item), the readiness views
(ready by window start by default, not ready with reasons, any), the stale-date fallback,
filters, selection checkboxes, bounded queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketing.models import Campaign, CampaignContact
from marketing.selectors.campaigns import RenewalReadiness, renewal_list
from marketing.services import campaigns as services
from outreach_admin.dates import format_date
from people.models import ResolutionQueue
from tests import builders as b
from tests import rich
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


def _page(client, query=""):
    return client.get(reverse("marketing:renewal_list") + query).content.decode()


@pytest.mark.django_db
def test_default_lists_ready_companies_earliest_window_first(coordinator_client):
    """A plain visit lists only ready companies, the earliest-opened window first."""
    late = renewal_company(name="Late ready", opens_in=-5)
    seat(late, "CEO")
    early = renewal_company(name="Early ready", opens_in=-30)
    seat(early, "HR")
    renewal_company(name="Blocked co", opens_in=-60)  # in window, no green contact
    html = _page(coordinator_client)
    assert html.index("Early ready") < html.index("Late ready")
    assert "Blocked co" not in html
    assert '<a class="nav-link active" aria-current="page"' in html
    assert "Ready to launch</a>" in html and "<strong>Ready to launch</strong>" in html
    assert f'name="company" value="{early.pk}"' in html


@pytest.mark.django_db
def test_not_ready_filter_shows_the_reasons(coordinator_client):
    """ "Not ready (and why)" lists only blocked companies, each with what is missing."""
    ready = renewal_company(name="Ready co")
    seat(ready, "CEO")
    blocked = renewal_company(name="Red co", opens_in=-30)
    seat(blocked, "CFO", email_status="red")
    html = _page(coordinator_client, "?ready=no")
    assert "Red co" in html and "Ready co" not in html
    assert "✗ no green slot contact" in html
    assert 'aria-current="page" href="?ready=no">Not ready (and why)' in html
    both = _page(coordinator_client, "?ready=any")
    assert both.index("Red co") < both.index("Ready co")  # still by window start


@pytest.mark.django_db
def test_opens_within_without_readiness_lists_any(coordinator_client):
    """Upcoming windows cannot be ready yet, so "opens within" alone shows any readiness."""
    soon = renewal_company(name="Opens soon", opens_in=20)
    seat(soon, "CEO")
    html = _page(coordinator_client, "?opens_within=30")
    assert "Opens soon" in html and "✗ renewal window not open yet" in html
    assert 'value="any"' in html
    assert "Opens soon" not in _page(coordinator_client, "?opens_within=30&ready=yes")


@pytest.mark.django_db
@pytest.mark.owner
def test_stale_stored_date_is_still_listed_correctly(coordinator_client):
    """A company the roll-forward has not reached (stored date last year) is listed as ready
    with its true renewal date, once, on the default page."""
    from tests.companies.test_renewal_dates import make_stale, next_renewal

    co = renewal_company(name="Stale ready co")
    seat(co, "CEO")
    make_stale(co.pk)
    co.refresh_from_db()
    assert co.next_renewal_date < dt.date.today()
    true_next = next_renewal(co.renewal_month, dt.date.today())
    html = _page(coordinator_client)
    assert html.count(f'name="company" value="{co.pk}"') == 1
    assert format_date(true_next) in html  # the one date format (issue 17)
    r = RenewalReadiness.objects.get(pk=co.pk)
    assert (r.next_renewal_date, r.in_window, r.ready) == (true_next, True, True)


@pytest.mark.django_db
def test_page_runs_the_benched_query(coordinator_client):
    """The default page's list query is exactly the one bench B6 times (selector, filter set,
    KeysetPaginator first page)."""
    from marketing.filters.campaigns import RenewalReadinessFilterSet
    from marketing.selectors import campaigns as selectors
    from outreach_admin import pagination

    co = renewal_company()
    seat(co, "CEO")
    qs = RenewalReadinessFilterSet({}, queryset=selectors.renewal_list()).qs
    keys = pagination._order_keys(qs)
    qs = qs.annotate(**{pagination._KEY.format(i): k.expr for i, k in enumerate(keys)})
    qs = qs.order_by(*pagination._ordering(keys))[:51]
    with CaptureQueriesContext(connection) as bench:
        list(qs)
    with CaptureQueriesContext(connection) as page:
        _page(coordinator_client)
    assert bench.captured_queries[0]["sql"] in [q["sql"] for q in page.captured_queries]


@pytest.mark.django_db
def test_default_lists_open_windows_and_opens_within_widens(coordinator_client):
    """Without a filter only open windows are listed; 'opens within N' adds upcoming ones."""
    seat(renewal_company(name="Open now"), "CEO")
    seat(renewal_company(name="Opens soon", opens_in=20), "CEO")
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

    def names(query, ready="any"):
        html = coordinator_client.get(f"{url}{query}&ready={ready}").content.decode()
        return {n for n in ("Dental TX", "Retail CA") if n in html}

    assert names("?industry=dental") == {"Dental TX"}
    assert names("?state=ca") == {"Retail CA"}
    assert names("?coverage=CFO") == {"Dental TX"}
    assert names("?coverage=CEO") == set()
    assert names("?", ready="no") == {"Retail CA"}
    assert names("?", ready="yes") == {"Dental TX"}
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
@pytest.mark.parametrize("query", ["", "?ready=no", "?ready=any&sort=-next_renewal_date"])
def test_renewal_list_bounded_queries(coordinator_client, query):
    """The renewals page costs at most 4 app queries, the same for 5 and 60 companies (more
    than a page), in each readiness view."""
    counts = []
    for n in (5, 60):
        while RenewalReadiness.objects.filter(in_window=True).count() < n:
            co = renewal_company()
            seat(co, "CEO", email_status="green" if co.pk % 2 else "yellow")
            seat(co, "HR", email_status="red")
        with CaptureQueriesContext(connection) as ctx:
            response = coordinator_client.get(reverse("marketing:renewal_list") + query)
            assert response.status_code == 200
        counts.append(len(rich.app_queries(ctx.captured_queries)))
    assert counts[0] == counts[1] <= 4


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


@pytest.mark.django_db
def test_empty_list_says_so_instead_of_rows_0_to_0(coordinator_client):
    """With nothing to show, the toolbar says no company matches, not "Showing rows 0–0."."""
    html = _page(coordinator_client, "?industry=no-such-industry-at-all")
    assert "No company matches these filters." in html
    assert "Showing rows 0" not in html
