"""Campaign pages through the client: builder, pre-flight, create, detail, transitions, CSV,
permissions and bounded queries."""

import csv
import io

import pytest
from django.urls import reverse

from marketing.models import Campaign, CampaignContact
from marketing.services import campaigns as services
from tests import builders as b
from tests import rich
from tests.marketing.test_campaign_rules import renewal_company, seat


@pytest.fixture
def coordinator_client(client):
    client.force_login(b.user(group="coordinator"))
    return client


@pytest.fixture
def viewer_client(client):
    client.force_login(b.user(group="viewer"))
    return client


def _draft(n_companies=1, roles=("CEO",), name="Renewals"):
    ids = []
    for _ in range(n_companies):
        co = renewal_company()
        for role in roles:
            seat(co, role)
        ids.append(co.pk)
    return services.campaign_create(
        name=name, type="renewal", target_roles=list(roles), company_ids=ids, actor="alice"
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.django_db
def test_build_page_shows_preflight_with_reasons_and_default_name(coordinator_client):
    """The builder lists every candidate with included/excluded and the reason."""
    co = renewal_company(name="Acme")
    seat(co, "CEO", full_name="Ann Green")
    seat(co, "CFO", email_status="yellow", full_name="Carl Yellow")
    url = reverse("marketing:campaign_build") + f"?company={co.pk}"
    response = coordinator_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ann Green" in html and "Carl Yellow" in html
    assert "email not green (yellow)" in html
    assert "slot empty" in html
    assert "1 included" in html and "2 excluded" in html
    assert f"Renewals — {co_next_month(co)}" in html


def co_next_month(co):
    from marketing.selectors.campaigns import RenewalReadiness

    return f"{RenewalReadiness.objects.get(pk=co.pk).next_renewal_date:%B %Y}"


@pytest.mark.django_db
def test_build_from_filter_uses_the_renewal_filter(coordinator_client):
    """scope=filter builds from the companies the renewals filter matches."""
    inside = renewal_company(name="Inside", industry="Dental")
    seat(inside, "CEO", full_name="Dina Dental")
    other = renewal_company(name="Other", industry="Retail")
    seat(other, "CEO", full_name="Rita Retail")
    response = coordinator_client.get(
        reverse("marketing:campaign_build") + "?scope=filter&industry=dent"
    )
    html = response.content.decode()
    assert "Dina Dental" in html and "Rita Retail" not in html


@pytest.mark.django_db
def test_create_post_creates_and_redirects(coordinator_client):
    """POST create makes the draft campaign with the included members and says so."""
    co = renewal_company()
    seat(co, "CEO")
    seat(co, "HR")
    response = coordinator_client.post(
        reverse("marketing:campaign_create"),
        {"name": "March", "type": "renewal", "target_roles": ["CEO", "HR"], "company": [co.pk]},
        follow=True,
    )
    c = Campaign.objects.get()
    assert response.redirect_chain[-1][0] == reverse("marketing:campaign", args=[c.pk])
    assert "created as a draft with 2 members" in " ".join(_messages(response))
    assert c.members.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "type": "renewal", "target_roles": ["CEO"]}, "This field is required"),
        ({"name": "X", "type": "renewal", "target_roles": []}, "Choose at least one role"),
        ({"name": "X", "type": "bogus", "target_roles": ["CEO"]}, "Select a valid choice"),
        (
            {"name": "X", "type": "renewal", "target_roles": ["CEO"], "company": ["abc"]},
            "whole numbers",
        ),
    ],
)
def test_create_bad_input_clear_message_nothing_created(coordinator_client, data, message):
    """Bad input comes back to the builder with a clear message and nothing created."""
    co = renewal_company()
    seat(co, "CEO")
    data.setdefault("company", [co.pk])
    response = coordinator_client.post(reverse("marketing:campaign_create"), data, follow=True)
    assert response.status_code == 200
    assert any(message in m for m in _messages(response)), _messages(response)
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_create_twice_shows_why_nobody_added(coordinator_client):
    """Building twice from the same selection refuses with a message; members unchanged."""
    co = renewal_company()
    seat(co, "CEO")
    data = {"name": "R", "type": "renewal", "target_roles": ["CEO"], "company": [co.pk]}
    coordinator_client.post(reverse("marketing:campaign_create"), data)
    response = coordinator_client.post(reverse("marketing:campaign_create"), data, follow=True)
    assert any("Nobody can be added" in m for m in _messages(response))
    assert "already in campaign “R” (draft)" in response.content.decode()
    assert CampaignContact.objects.count() == 1


@pytest.mark.django_db
def test_detail_shows_only_allowed_transitions(coordinator_client):
    """A draft offers Activate only; an active campaign offers Pause and Complete."""
    c = _draft()
    url = reverse("marketing:campaign", args=[c.pk])
    html = coordinator_client.get(url).content.decode()
    assert ">Activate<" in html and ">Pause<" not in html and ">Complete<" not in html
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    html = coordinator_client.get(url).content.decode()
    assert ">Activate<" not in html and ">Pause<" in html and ">Complete<" in html


@pytest.mark.django_db
def test_refused_transition_shows_the_database_message(coordinator_client):
    """A refused move (draft → paused) shows the database's message and changes nothing."""
    c = _draft()
    response = coordinator_client.post(
        reverse("marketing:campaign_transition", args=[c.pk]),
        {"to_status": "paused"},
        follow=True,
    )
    assert any("cannot move from draft to paused" in m for m in _messages(response))
    c.refresh_from_db()
    assert c.status == "draft"


@pytest.mark.django_db
def test_transition_and_outcome_and_remove_through_views(coordinator_client):
    """Activate, record an outcome, and refuse removal once active, all via POST views."""
    c = _draft(roles=("CEO", "CFO"))
    m1, m2 = CampaignContact.objects.filter(campaign=c)
    coordinator_client.post(reverse("marketing:campaign_member_remove", args=[m1.pk]))
    assert not CampaignContact.objects.filter(pk=m1.pk).exists()
    coordinator_client.post(
        reverse("marketing:campaign_transition", args=[c.pk]), {"to_status": "active"}
    )
    coordinator_client.post(
        reverse("marketing:campaign_member_outcome", args=[m2.pk]), {"outcome": "replied"}
    )
    m2.refresh_from_db()
    assert m2.status == "replied"
    response = coordinator_client.post(
        reverse("marketing:campaign_member_remove", args=[m2.pk]), follow=True
    )
    assert any("removed only while it is draft" in m for m in _messages(response))


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_export_is_formula_safe(coordinator_client, prefix):
    """Names beginning with = + - @ tab or CR come out prefixed with a quote (inert)."""
    co = renewal_company(name=f'{prefix}HYPERLINK("http://x")')
    seat(co, "CEO", full_name=f"{prefix}cmd|' /C calc'!A0")
    c = services.campaign_create(
        name="R", type="renewal", target_roles=["CEO"], company_ids=[co.pk], actor="a"
    )
    response = coordinator_client.get(reverse("marketing:campaign_export", args=[c.pk]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert response["Content-Type"].startswith("text/csv")
    header, row = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert header[0] == "person"
    assert row[0].startswith("'" + prefix)
    assert row[3].startswith("'")
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row[:6])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "'-5"),
        ("Ann", "Ann"),
        (None, ""),
    ],
)
def test_csv_safe_prefixes_formula_starts(value, expected):
    """csv_safe quotes cells starting with = + - @ tab or CR and leaves others alone."""
    from marketing.views.campaigns import csv_safe

    assert csv_safe(value) == expected


POSTS = [
    (
        "marketing:campaign_create",
        lambda c, m: [],
        {"name": "X", "type": "renewal", "target_roles": ["CEO"]},
    ),
    ("marketing:campaign_transition", lambda c, m: [c.pk], {"to_status": "active"}),
    ("marketing:campaign_member_remove", lambda c, m: [m.pk], {}),
    ("marketing:campaign_member_outcome", lambda c, m: [m.pk], {"outcome": "sent"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_viewer_gets_403_on_every_post_and_nothing_changes(viewer_client, name, args, data):
    """Viewers are refused (403) on every campaign POST and nothing changes."""
    c = _draft()
    m = CampaignContact.objects.get(campaign=c)
    data = dict(data, company=[m.company_id])
    response = viewer_client.post(reverse(name, args=args(c, m)), data)
    assert response.status_code == 403
    c.refresh_from_db()
    assert (Campaign.objects.count(), c.status, CampaignContact.objects.count()) == (1, "draft", 1)
    assert CampaignContact.objects.get().status == "pending"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("marketing:renewal_list"),
        lambda c: reverse("marketing:campaign_list"),
        lambda c: reverse("marketing:campaign_build"),
        lambda c: reverse("marketing:campaign", args=[c.pk]),
        lambda c: reverse("marketing:campaign_export", args=[c.pk]),
        lambda c: reverse("marketing:campaign_transition", args=[c.pk]),
    ],
)
def test_anonymous_is_sent_to_login(client, url):
    """Every campaign page redirects an anonymous visitor to the login page."""
    c = _draft()
    response = client.get(url(c))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_viewer_can_look_but_sees_no_action_buttons(viewer_client):
    """Viewers see campaign pages without transition or create buttons."""
    c = _draft()
    html = viewer_client.get(reverse("marketing:campaign", args=[c.pk])).content.decode()
    assert ">Activate<" not in html and "Remove" not in html
    co = renewal_company()
    html = viewer_client.get(
        reverse("marketing:campaign_build") + f"?company={co.pk}"
    ).content.decode()
    assert "Create campaign with" not in html


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_campaign_list_bounded_queries(coordinator_client, django_assert_num_queries):
    """The campaign list costs the same number of queries for 5 and 40 campaigns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 40):
        while Campaign.objects.count() < n:
            Campaign.objects.create(name=f"C{Campaign.objects.count()}", type="renewal")
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(reverse("marketing:campaign_list")).status_code == 200
        counts.append(len(rich.app_queries(ctx.captured_queries)))
    assert counts[0] == counts[1] == 1, counts  # the page's rows; no COUNT(*) (issue 11, B1)


@pytest.mark.django_db
def test_campaign_detail_bounded_queries(coordinator_client, django_assert_max_num_queries):
    """The campaign page costs the same number of queries for 5 and 40 members."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 40):
        c = _draft(n_companies=n, name=f"N{n}")
        services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
        with CaptureQueriesContext(connection) as ctx:
            response = coordinator_client.get(reverse("marketing:campaign", args=[c.pk]))
        assert response.status_code == 200
        counts.append(len(ctx))
        own = rich.app_queries(ctx.captured_queries)
        assert len(own) == 3, own  # campaign, member page, status counts: no COUNT(*)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        coordinator_client.get(reverse("marketing:campaign", args=[c.pk]))


@pytest.mark.django_db
def test_build_page_bounded_queries(coordinator_client):
    """The builder costs the same number of queries for 5 and 40 companies."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 40):
        ids = []
        for _ in range(n):
            co = renewal_company()
            seat(co, "CEO")
            ids.append(co.pk)
        url = reverse("marketing:campaign_build") + "?" + "&".join(f"company={i}" for i in ids)
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_build_page_bad_company_ids_clear_message(coordinator_client):
    """Non-numeric company ids on the builder give a clear message, not an error page."""
    response = coordinator_client.get(reverse("marketing:campaign_build") + "?company=abc")
    assert response.status_code == 200
    assert "Company ids must be whole numbers." in response.content.decode()
    assert "No companies selected" in response.content.decode()


@pytest.mark.parametrize("cursor", ["garbage", "abc:def", "x" * 500, ""])
@pytest.mark.django_db
def test_bad_cursor_shows_the_first_page(coordinator_client, cursor):
    """A tampered or malformed pager cursor shows the first page of campaigns and members."""
    c = _draft(n_companies=3)
    for url in (reverse("marketing:campaign_list"), reverse("marketing:campaign", args=[c.pk])):
        response = coordinator_client.get(url, {"cursor": cursor})
        assert response.status_code == 200
        page = response.context["table"].page
        assert page.start_index() == 1 and not page.has_previous()


@pytest.mark.django_db
def test_member_pages_walk_forward_and_back_with_the_cursor(coordinator_client):
    """Next then Previous over campaign members (keyset cursor) show every member once, in
    the page's order, and Previous comes back to the rows before."""
    import html
    import re

    from marketing.selectors import campaigns as selectors

    c = _draft(n_companies=7)
    url = reverse("marketing:campaign", args=[c.pk])
    expected = list(selectors.campaign_members(c).values_list("pk", flat=True))
    assert len(expected) == 7
    pages, href = [], "?per_page=3"
    while href:
        response = coordinator_client.get(url + href)
        assert response.status_code == 200
        pages.append([row.record.pk for row in response.context["table"].page.object_list])
        found = re.search(r'rel="next" href="([^"]*)"', response.content.decode())
        href = html.unescape(found.group(1)) if found else None
    assert [pk for page in pages for pk in page] == expected and len(pages) == 3
    found = re.search(r'rel="prev" href="([^"]*)"', response.content.decode())
    back = coordinator_client.get(url + html.unescape(found.group(1)))
    assert [row.record.pk for row in back.context["table"].page.object_list] == pages[1]


def _active_member():
    c = _draft(roles=("CEO",))
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="alice")
    return CampaignContact.objects.get(campaign=c)


@pytest.mark.django_db
def test_booked_from_the_members_table_asks_the_meeting_time_and_source(coordinator_client):
    """Choosing "booked" shows a page asking meeting time and source; nothing is recorded yet.
    Submitting it records the booking at that time from that source."""
    from datetime import timedelta

    from django.utils import timezone

    from marketing.models import BookingEvent

    m = _active_member()
    url = reverse("marketing:campaign_member_outcome", args=[m.pk])
    response = coordinator_client.post(url, {"outcome": "booked"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="datetime-local"' in html and 'name="event_time"' in html
    assert '<option value="phone">Phone</option>' in html
    assert "invalid-feedback" not in html
    m.refresh_from_db()
    assert m.status == "pending" and not BookingEvent.objects.exists()
    when = timezone.localtime() + timedelta(days=5)
    response = coordinator_client.post(
        url,
        {"outcome": "booked", "event_time": when.strftime("%Y-%m-%dT%H:%M"), "source": "phone"},
        follow=True,
    )
    m.refresh_from_db()
    assert m.status == "booked"
    booking = BookingEvent.objects.get()
    assert booking.source == "phone"
    assert booking.event_time == when.replace(second=0, microsecond=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"event_time": "next tuesday", "source": "phone"}, "Enter a valid date/time."),
        ({"event_time": "2026-13-45T25:61", "source": "phone"}, "Enter a valid date/time."),
        ({"event_time": "9999-12-31T23:59", "source": "phone"}, "more than a year ahead"),
        ({"event_time": "0001-01-01T00:00", "source": "phone"}, "more than 90 days ago"),
        ({"event_time": "2001-01-01T10:00", "source": "phone"}, "more than 90 days ago"),
        ({"event_time": "", "source": "phone"}, "Give the meeting&#x27;s date and time."),
        ({"event_time": "NOW", "source": "bogus"}, "Select a valid choice."),
    ],
)
def test_booked_with_bad_input_is_a_form_error_and_changes_nothing(
    coordinator_client, data, message
):
    """Junk or far-off meeting times and unknown sources are form errors (400); nothing
    changes."""
    from marketing.models import AcHandoff, BookingEvent

    m = _active_member()
    response = coordinator_client.post(
        reverse("marketing:campaign_member_outcome", args=[m.pk]), {"outcome": "booked", **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    m.refresh_from_db()
    assert m.status == "pending"
    assert not BookingEvent.objects.exists() and not AcHandoff.objects.exists()
