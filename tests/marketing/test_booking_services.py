from datetime import timedelta

import pytest
from django.utils import timezone

from marketing.models import AcHandoff, BookingEvent, CampaignContact, PipelineEvent
from marketing.services.handoffs import BookingError, booking_record
from tests import builders
from tests.marketing.handoff_fixtures import campaign_with_member

pytestmark = pytest.mark.django_db

SOON = timezone.now() + timedelta(days=3)


def test_booking_creates_pending_handoff_for_employer():
    """A booking records the event and opens a pending handoff for the person's company."""
    company = builders.company("Acme")
    person = builders.contact("Dana Doe", company=company)
    handoff = booking_record(contact_id=person.pk, event_time=SOON, source="phone", actor="amy")
    booking = handoff.booking_event
    assert (booking.contact_id, booking.company_id, booking.source, booking.created_by) == (
        person.pk,
        company.pk,
        "phone",
        "amy",
    )
    assert (handoff.status, handoff.company_id, handoff.contact_id) == (
        "pending",
        company.pk,
        person.pk,
    )
    event = PipelineEvent.objects.get(event_type="booking_recorded")
    assert event.event_data["handoff_id"] == handoff.pk and event.event_data["actor"] == "amy"


def test_booking_with_campaign_marks_member_booked():
    """With a campaign the person's membership becomes 'booked' and responses are counted."""
    person = builders.contact(company=builders.company(), email_status="green")
    campaign = campaign_with_member(person, status="sent")
    booking_record(
        contact_id=person.pk, event_time=SOON, source="email", campaign_id=campaign.pk, actor="a"
    )
    assert CampaignContact.objects.get(campaign=campaign, contact=person).status == "booked"
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.response_count) == (1, 1)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_company", "has no company"),
        ("merged", "was merged into"),
        ("unknown", "does not exist"),
        ("text_id", "is not a person ID"),
        ("unknown_campaign", "Campaign #999999 does not exist"),
        ("not_member", "is not a member of campaign"),
        ("blank_source", "where the booking came from"),
        ("no_time", "date and time"),
    ],
)
def test_booking_refused_with_clear_message(case, message):
    """Bad bookings are refused with a clear message and nothing is created."""
    company = builders.company()
    person = builders.contact(company=company, email_status="green")
    args = {"contact_id": person.pk, "event_time": SOON, "source": "phone", "actor": "a"}
    if case == "no_company":
        args["contact_id"] = builders.contact().pk
    elif case == "merged":
        absorbed = builders.contact(company=company)
        absorbed.status, absorbed.merged_into = "merged", person
        absorbed.save()
        args["contact_id"] = absorbed.pk
    elif case == "unknown":
        args["contact_id"] = 999999
    elif case == "text_id":
        args["contact_id"] = "dana"
    elif case == "unknown_campaign":
        args["campaign_id"] = 999999
    elif case == "not_member":
        other = builders.contact(company=company, email_status="green")
        args["campaign_id"] = campaign_with_member(other).pk
    elif case == "blank_source":
        args["source"] = "  "
    elif case == "no_time":
        args["event_time"] = None
    with pytest.raises(BookingError, match=message):
        booking_record(**args)
    assert not BookingEvent.objects.exists()
    assert not AcHandoff.objects.exists()
