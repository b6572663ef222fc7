from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketing.models import AcHandoff, BookingEvent, Campaign
from marketing.services import handoffs as services
from tests import builders, rich
from tests.marketing.handoff_fixtures import (
    campaign_with_member,
    fast_password_hasher,  # noqa: F401 (autouse fixture)
    pending_handoff,
)

pytestmark = pytest.mark.django_db

LIST = reverse("marketing:booking_list")
ADD = reverse("marketing:booking_add")
WHEN = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def coordinator(client):
    user = builders.user("casey")
    client.force_login(user)
    return user


def test_record_booking_by_id_opens_handoff(client, coordinator):
    """Posting a booking by person ID creates it and redirects to the new pending handoff."""
    person = builders.contact("Pat Lee", company=builders.company("Acme"))
    response = client.post(ADD, {"contact": str(person.pk), "event_time": WHEN, "source": "phone"})
    handoff = AcHandoff.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "marketing:handoff", args=[handoff.pk]
    )
    assert handoff.booking_event.created_by == "casey" and handoff.status == "pending"


def test_record_booking_by_name_and_campaign(client, coordinator):
    """A name that matches one person works; the campaign membership becomes booked."""
    person = builders.contact("Quinn Unique", company=builders.company(), email_status="green")
    campaign = campaign_with_member(person)
    client.post(
        ADD,
        {"contact": "quinn uniq", "event_time": WHEN, "source": "email", "campaign": campaign.pk},
    )
    assert BookingEvent.objects.get().campaign == campaign
    assert person.campaign_memberships.get().status == "booked"


def test_ambiguous_name_lists_matches(client, coordinator):
    """A name matching several people is refused with their IDs listed; nothing is created."""
    company = builders.company("Acme")
    a = builders.contact("Sam Smith", company=company)
    b = builders.contact("Sam Smithers", company=company)
    response = client.post(ADD, {"contact": "sam smith", "event_time": WHEN, "source": "phone"})
    body = response.content.decode()
    assert response.status_code == 200 and "Several people match" in body
    assert f"#{a.pk}" in body and f"#{b.pk}" in body
    assert not BookingEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact": "999999"}, "No person with ID 999999."),
        ({"contact": "nobody-like-this"}, "Nobody matches"),
        ({"contact": ""}, "This field is required."),
        ({"event_time": "tomorrow"}, "Enter a valid date/time."),
        ({"campaign": "abc"}, "Choose a started campaign from the list, or leave it empty."),
        ({"campaign": "999999"}, "Choose a started campaign from the list, or leave it empty."),
        ({"campaign": "draft"}, "Choose a started campaign from the list, or leave it empty."),
        ({"source": "pigeon"}, "Select a valid choice."),
        ({"no_company": True}, "has no company"),
    ],
)
def test_bad_booking_input(client, coordinator, data, message):
    """Bad input gets a clear message, the input is kept and nothing is created."""
    person = builders.contact("Pat Lee", company=builders.company())
    if data.pop("no_company", False):
        person = builders.contact("Nomad Person")
    if data.get("campaign") == "draft":
        data["campaign"] = Campaign.objects.create(name="Still a draft", type="renewal").pk
    form = {"contact": str(person.pk), "event_time": WHEN, "source": "phone", **data}
    response = client.post(ADD, form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BookingEvent.objects.exists() and not AcHandoff.objects.exists()


def test_prefill_from_contact_page_link(client, coordinator):
    """?contact=ID pre-fills the form (links from the person, company and campaign pages)."""
    response = client.get(f"{ADD}?contact=42&campaign=7")
    assert response.context["form"].initial == {"contact": "42", "campaign": "7"}


def test_viewer_cannot_record_bookings(client):
    """Viewers get 403 on the booking form and its POST; nothing is created."""
    client.force_login(builders.user(group="viewer"))
    person = builders.contact(company=builders.company())
    assert client.get(ADD).status_code == 403
    response = client.post(ADD, {"contact": person.pk, "event_time": WHEN, "source": "phone"})
    assert response.status_code == 403
    assert not BookingEvent.objects.exists()


def test_anonymous_booking_pages_need_login(client):
    """Booking pages redirect anonymous users to the login page."""
    for url in (LIST, ADD):
        assert "/accounts/login/" in client.get(url)["Location"]


def test_booking_list_upcoming_and_past(client, coordinator):
    """The list shows upcoming bookings by default and past ones on request."""
    upcoming = pending_handoff(company_name="Future Co")
    past = pending_handoff(company_name="Past Co")
    BookingEvent.objects.filter(pk=past.booking_event_id).update(
        event_time=timezone.now() - timedelta(days=3)
    )
    response = client.get(LIST)
    assert [r.record.pk for r in response.context["table"].rows] == [upcoming.booking_event_id]
    assert "Future Co" in response.content.decode()
    response = client.get(f"{LIST}?when=past")
    assert [r.record.pk for r in response.context["table"].rows] == [past.booking_event_id]
    assert f"#{past.pk}" in response.content.decode()


def test_booking_list_query_count_is_bounded(client, coordinator):
    """The bookings list costs the same queries for 2 or 20 bookings."""

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        own = rich.app_queries(ctx.captured_queries)
        assert len(own) == 1, own  # the rows, no COUNT(*) (issue 11, B1)
        return len(ctx)

    for _ in range(2):
        pending_handoff(campaign=True)
    few = count()
    for _ in range(18):
        pending_handoff(campaign=True)
    assert count() == few


@pytest.mark.parametrize("cursor", ["garbage", "abc:def", "x" * 500])
def test_bad_cursor_shows_the_first_page(client, coordinator, cursor):
    """A tampered or malformed pager cursor shows the first page, never an error."""
    for _ in range(2):
        pending_handoff(campaign=True)
    response = client.get(LIST, {"cursor": cursor, "when": ""})
    assert response.status_code == 200
    page = response.context["table"].page
    assert page.start_index() == 1 and not page.has_previous() and len(page) == 2


@pytest.mark.parametrize("contact", ["²", "１２", "99999999999999999999"])
def test_bookings_contact_filter_with_odd_digits_is_a_name_search(client, coordinator, contact):
    """Digits PostgreSQL's bigint cannot take are searched as a name, never a 500."""
    resp = client.get(LIST, {"contact": contact})
    assert resp.status_code == 200


def test_campaign_is_a_select_of_started_campaigns(client, coordinator):
    """The booking form offers started campaigns in a select (no typed id); drafts are not
    offered."""
    person = builders.contact("Pat Lee", company=builders.company(), email_status="green")
    active = campaign_with_member(person, name="Autumn renewals")
    draft = Campaign.objects.create(name="Not yet", type="renewal")
    html = client.get(f"{ADD}?campaign={active.pk}").content.decode()
    assert f'<option value="{active.pk}" selected>Autumn renewals (active)</option>' in html
    assert f'<option value="{draft.pk}"' not in html
    assert 'name="campaign" class="form-select' in html


def _local(delta):
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("delta", "message"),
    [
        (timedelta(days=-200), "more than 90 days ago"),
        (timedelta(days=-91), "more than 90 days ago"),
        (timedelta(days=400), "more than a year ahead"),
        (timedelta(days=365 * 36), "more than a year ahead"),  # a typo'd year: 2062
    ],
)
def test_booking_form_refuses_meeting_times_that_make_no_sense(client, coordinator, delta, message):
    """The standalone booking form keeps the limits of marking a member booked
    (``meeting_time_problem``): a field error under the meeting time and nothing saved."""
    person = builders.contact("Pat Lee", company=builders.company("Acme"))
    response = client.post(
        ADD, {"contact": str(person.pk), "event_time": _local(delta), "source": "phone"}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["event_time"])
    assert not BookingEvent.objects.exists() and not AcHandoff.objects.exists()


@pytest.mark.parametrize("delta", [timedelta(days=-89), timedelta(hours=-2), timedelta(days=360)])
def test_booking_form_accepts_meetings_within_the_limits(client, coordinator, delta):
    """A meeting recorded late (up to 90 days) or planned up to a year ahead is recorded."""
    person = builders.contact("Pat Lee", company=builders.company("Acme"))
    response = client.post(
        ADD, {"contact": str(person.pk), "event_time": _local(delta), "source": "phone"}
    )
    assert response.status_code == 302
    assert BookingEvent.objects.count() == 1


def test_booking_service_refuses_an_out_of_range_meeting_time():
    """booking_record itself refuses a meeting years ahead (a caller skipping the form)."""
    person = builders.contact("Pat Lee", company=builders.company("Acme"))
    with pytest.raises(services.BookingError, match="more than a year ahead"):
        services.booking_record(
            contact_id=person.pk,
            event_time=timezone.now() + timedelta(days=3000),
            source="phone",
            actor="casey",
        )
    assert not BookingEvent.objects.exists()
