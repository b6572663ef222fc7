import pytest

from marketing.models import CampaignContact, MessageLog
from marketing.services.handoffs import MessageError, message_record
from tests import builders
from tests.marketing.handoff_fixtures import campaign_with_member, pending_handoff

pytestmark = pytest.mark.django_db


def record(person, direction="outbound", campaign=None, **extra):
    args = {
        "contact_id": person.pk,
        "direction": direction,
        "channel": "email",
        "subject": "Renewal",
        "body": "Hello",
        "campaign_id": campaign.pk if campaign else None,
        "actor": "amy",
    }
    args.update(extra)
    return message_record(**args)


def member_and_campaign(status="pending"):
    person = builders.contact(company=builders.company(), email_status="green")
    return person, campaign_with_member(person, status=status)


def test_outbound_message_marks_member_sent_and_counts():
    """The first outbound message moves the member pending → sent and counts one sent."""
    person, campaign = member_and_campaign()
    first = record(person, campaign=campaign)
    second = record(person, campaign=campaign)
    assert (first.message_type, second.message_type) == ("initial", "follow_up")
    assert CampaignContact.objects.get(campaign=campaign).status == "sent"
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.response_count) == (1, 0)


def test_inbound_message_marks_member_replied_and_counts_once():
    """An inbound message moves the member to replied; a second reply is not counted again."""
    person, campaign = member_and_campaign("sent")
    reply = record(person, "inbound", campaign=campaign)
    record(person, "inbound", campaign=campaign)
    assert reply.message_type == "reply"
    assert CampaignContact.objects.get(campaign=campaign).status == "replied"
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.response_count) == (1, 1)


def test_inbound_does_not_downgrade_booked_member():
    """A reply from a booked member keeps the member booked."""
    handoff = pending_handoff(campaign=True)
    member = CampaignContact.objects.get(contact_id=handoff.contact_id)
    record(member.contact, "inbound", campaign=member.campaign)
    member.refresh_from_db()
    assert member.status == "booked"


def test_message_without_campaign_is_logged():
    """A message outside any campaign is logged against the person only."""
    person = builders.contact()
    message = record(person, channel="linkedin", subject="", body="Connected")
    assert (message.campaign_id, message.channel, message.subject) == (None, "linkedin", None)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"direction": "sideways"}, "Direction must be"),
        ({"channel": "fax"}, "Channel must be"),
        ({"subject": " ", "body": ""}, "subject or text"),
        ({"contact_id": 999999}, "does not exist"),
        ({"contact_id": "x"}, "not a person ID"),
        ({"campaign_id": 999999}, "Campaign #999999 does not exist"),
    ],
)
def test_bad_message_refused(extra, message):
    """Bad input is refused with a clear message and nothing is logged."""
    person = builders.contact()
    with pytest.raises(MessageError, match=message):
        record(person, **extra)
    assert not MessageLog.objects.exists()


def test_outbound_to_unsubscribed_person_refused_by_database_rule():
    """The database guard's refusal becomes a clear MessageError; nothing is logged."""
    person = builders.contact(status="unsubscribed")
    with pytest.raises(MessageError, match="unsubscribed"):
        record(person)
    assert not MessageLog.objects.exists()


def test_message_for_non_member_refused():
    """A campaign message for someone outside the campaign is refused."""
    person, campaign = member_and_campaign()
    stranger = builders.contact()
    with pytest.raises(MessageError, match="not a member"):
        record(stranger, campaign=campaign)
    assert not MessageLog.objects.exists()
