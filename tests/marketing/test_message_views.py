import pytest
from django.urls import reverse

from marketing.models import MessageLog
from tests import builders
from tests.marketing.handoff_fixtures import (
    campaign_with_member,
    fast_password_hasher,  # noqa: F401 (autouse fixture)
)

pytestmark = pytest.mark.django_db

ADD = reverse("marketing:message_add")


@pytest.fixture
def coordinator(client):
    user = builders.user("casey")
    client.force_login(user)
    return user


def test_log_message_updates_member_and_returns_to_next(client, coordinator):
    """An inbound campaign message is logged, the member replies, and we go back to ?next."""
    person = builders.contact("Pat Lee", company=builders.company(), email_status="green")
    campaign = campaign_with_member(person, status="sent")
    response = client.post(
        ADD,
        {
            "contact": str(person.pk),
            "direction": "inbound",
            "channel": "email",
            "campaign": str(campaign.pk),
            "subject": "Re: renewal",
            "body": "Let's talk",
            "next": "/companies/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/companies/"
    assert MessageLog.objects.get().message_type == "reply"
    assert person.campaign_memberships.get().status == "replied"
    campaign.refresh_from_db()
    assert campaign.response_count == 1


def test_foreign_next_is_ignored(client, coordinator):
    """A ?next pointing elsewhere is not followed."""
    person = builders.contact()
    response = client.post(
        ADD,
        {
            "contact": person.pk,
            "direction": "outbound",
            "channel": "phone",
            "subject": "Call",
            "next": "https://evil.example.com/",
        },
    )
    assert response["Location"] == ADD


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": "", "body": ""}, "subject or text"),
        ({"direction": "up"}, "Select a valid choice."),
        ({"contact": "abc-nobody"}, "Nobody matches"),
        # An unknown campaign is a form error (the picker's field checks it, issue 17).
        ({"campaign": "999999"}, "No campaign with ID 999999."),
        ({"not_member": True}, "is not a member of campaign"),
    ],
)
def test_bad_message_input(client, coordinator, data, message):
    """Bad input gets a clear message, the typed text is kept and nothing is logged."""
    person = builders.contact()
    if data.pop("not_member", False):
        other = builders.contact(company=builders.company(), email_status="green")
        data["campaign"] = str(campaign_with_member(other).pk)
    form = {
        "contact": str(person.pk),
        "direction": "outbound",
        "channel": "email",
        "subject": "Hello there",
        **data,
    }
    response = client.post(ADD, form)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    if form["subject"]:
        assert "Hello there" in body
    assert not MessageLog.objects.exists()


def test_viewer_cannot_log_messages(client):
    """Viewers get 403 and nothing is logged."""
    client.force_login(builders.user(group="viewer"))
    person = builders.contact()
    response = client.post(
        ADD, {"contact": person.pk, "direction": "outbound", "channel": "email", "subject": "x"}
    )
    assert response.status_code == 403
    assert not MessageLog.objects.exists()
