"""Member outcomes feed back to people, slots, bookings and handoffs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketing.models import AcHandoff, BookingEvent, CampaignContact
from marketing.selectors.campaigns import campaign_members
from marketing.services import campaigns as services
from marketing.services.campaigns import CampaignError
from people.models import Contact, ContactVerification
from tests.marketing.test_campaign_rules import renewal_company, seat


def _active_campaign(co, roles=("CEO", "CFO", "HR")):
    for role in roles:
        seat(co, role)
    c = services.campaign_create(
        name="R", type="renewal", target_roles=list(roles), company_ids=[co.pk], actor="a"
    )
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    return c


def _member(c, role):
    return CampaignContact.objects.get(campaign=c, role_code=role)


@pytest.mark.django_db
def test_bounce_turns_email_red_and_person_bounced():
    """A bounce marks the member bounced, the email red and the person bounced (slot stale)."""
    co = renewal_company()
    c = _active_campaign(co, ["CEO"])
    m = _member(c, "CEO")
    services.member_record_outcome(member_id=m.pk, outcome="bounced", actor="bob")
    m.refresh_from_db()
    assert m.status == "bounced"
    assert ContactVerification.objects.get(pk=m.contact_id).email_status == "red"
    assert Contact.objects.get(pk=m.contact_id).status == "bounced"
    c.refresh_from_db()
    assert c.sent_count == 1


@pytest.mark.django_db
def test_unsubscribe_sets_person_status():
    """An unsubscribe marks the member and the person unsubscribed."""
    co = renewal_company()
    c = _active_campaign(co, ["CFO"])
    m = _member(c, "CFO")
    services.member_record_outcome(member_id=m.pk, outcome="unsubscribed", actor="bob")
    assert Contact.objects.get(pk=m.contact_id).status == "unsubscribed"
    assert CampaignContact.objects.get(pk=m.pk).status == "unsubscribed"


@pytest.mark.django_db
def test_booking_creates_event_and_pending_handoff_and_holds_the_company():
    """A booking creates a booking event and a pending handoff; other pending members hold."""
    co = renewal_company()
    c = _active_campaign(co)
    ceo = _member(c, "CEO")
    services.member_record_outcome(member_id=_member(c, "HR").pk, outcome="sent", actor="a")
    services.member_record_outcome(
        member_id=ceo.pk,
        outcome="booked",
        actor="bob",
        event_time=timezone.now() + timedelta(days=3),
        source="email",
    )
    booking = BookingEvent.objects.get()
    assert (booking.contact_id, booking.company_id, booking.campaign_id, booking.created_by) == (
        ceo.contact_id,
        co.pk,
        c.pk,
        "bob",
    )
    handoff = AcHandoff.objects.get()
    assert (handoff.status, handoff.booking_event_id, handoff.contact_id) == (
        "pending",
        booking.pk,
        ceo.contact_id,
    )
    holds = {m.role_code: (m.status, m.on_hold) for m in campaign_members(c)}
    assert holds == {"CEO": ("booked", False), "CFO": ("pending", True), "HR": ("sent", False)}
    c.refresh_from_db()
    assert (c.sent_count, c.response_count) == (2, 1)


@pytest.mark.django_db
def test_outcome_refused_in_draft_and_after_final():
    """Outcomes need a started campaign; bounced/unsubscribed/booked are final."""
    co = renewal_company()
    seat(co, "CEO")
    c = services.campaign_create(
        name="R", type="renewal", target_roles=["CEO"], company_ids=[co.pk], actor="a"
    )
    m = _member(c, "CEO")
    with pytest.raises(CampaignError, match="still a draft"):
        services.member_record_outcome(member_id=m.pk, outcome="sent", actor="a")
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    services.member_record_outcome(member_id=m.pk, outcome="unsubscribed", actor="a")
    with pytest.raises(CampaignError, match="final"):
        services.member_record_outcome(member_id=m.pk, outcome="replied", actor="a")
    with pytest.raises(CampaignError, match="is not an outcome; choose one of"):
        services.member_record_outcome(member_id=m.pk, outcome="exploded", actor="a")


@pytest.mark.django_db
def test_booked_records_the_given_meeting_time_and_source():
    """ "booked" stores the meeting time and source it is given, never "now"."""
    co = renewal_company()
    c = _active_campaign(co, ["CEO"])
    when = timezone.now() + timedelta(days=9, hours=3)
    services.member_record_outcome(
        member_id=_member(c, "CEO").pk,
        outcome="booked",
        actor="bob",
        event_time=when,
        source="phone",
    )
    booking = BookingEvent.objects.get()
    assert (booking.event_time, booking.source, booking.created_by) == (when, "phone", "bob")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_time", "source", "message"),
    [
        (None, "phone", "Give the meeting's date and time."),
        (timedelta(days=-91), "phone", "more than 90 days ago"),
        (timedelta(days=367), "phone", "more than a year ahead"),
        (timedelta(days=2), None, "Say where the booking came from"),
        (timedelta(days=2), "campaign", "Say where the booking came from"),
    ],
)
def test_booked_without_a_sensible_time_or_source_is_refused(event_time, source, message):
    """A missing or far-off meeting time, or an unknown source, is refused; nothing changes."""
    co = renewal_company()
    c = _active_campaign(co, ["CEO"])
    m = _member(c, "CEO")
    with pytest.raises(CampaignError, match=message):
        services.member_record_outcome(
            member_id=m.pk,
            outcome="booked",
            actor="bob",
            event_time=timezone.now() + event_time if event_time is not None else None,
            source=source,
        )
    m.refresh_from_db()
    assert m.status == "pending"
    assert not BookingEvent.objects.exists() and not AcHandoff.objects.exists()
