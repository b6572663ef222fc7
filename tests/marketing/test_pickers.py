"""Pickers instead of typed ids (issue 17): the booking and message forms' person and the message
form's campaign render a type-ahead picker (hidden id + visible search box); the server resolves
what arrives exactly as before — a picked id, the picker's label, a typed ID or a name — and an
unknown id is still a form error."""

import re

import pytest
from django.urls import reverse

from marketing.forms.handoffs import (
    BookingEventForm,
    CampaignLookupField,
    ContactLookupField,
    MessageLogForm,
)
from marketing.models import MessageLog
from outreach_admin.widgets import TypeaheadPicker
from tests import builders
from tests.marketing.handoff_fixtures import (
    campaign_with_member,
    fast_password_hasher,  # noqa: F401 (autouse fixture)
)

pytestmark = pytest.mark.django_db

ADD = reverse("marketing:message_add")
SUGGEST = reverse("search_suggest")


@pytest.fixture
def coordinator(client):
    user = builders.user("casey")
    client.force_login(user)
    return user


@pytest.fixture
def member():
    person = builders.contact("Pat Lee", company=builders.company(), email_status="green")
    return person, campaign_with_member(person, status="sent", name="Spring renewals")


def _post(client, **fields):
    data = {"direction": "outbound", "channel": "email", "subject": "Hello"}
    data.update(fields)
    return client.post(ADD, data)


def test_every_person_and_campaign_field_is_a_picker():
    """Rule: no form asks for a typed person or campaign id: each such field is a picker of its
    kind (the booking form's campaign stays a select of started campaigns)."""
    pickers = {
        (form.__name__, name): field.widget.kind
        for form in (BookingEventForm, MessageLogForm)
        for name, field in form.base_fields.items()
        if isinstance(field.widget, TypeaheadPicker)
    }
    assert pickers == {
        ("BookingEventForm", "contact"): "person",
        ("MessageLogForm", "contact"): "person",
        ("MessageLogForm", "campaign"): "campaign",
    }
    assert isinstance(MessageLogForm.base_fields["campaign"], CampaignLookupField)
    assert isinstance(BookingEventForm.base_fields["contact"], ContactLookupField)


def test_form_renders_hidden_id_and_search_box(client, coordinator, member):
    """Rule: a picker is a hidden input under the field's name and a labelled text box wired to
    the suggest endpoint for its kind; a prefilled id shows as ``Name (#id)``."""
    person, campaign = member
    html = client.get(ADD, {"contact": person.pk, "campaign": campaign.pk}).content.decode()
    assert f'<input type="hidden" name="contact" value="{person.pk}" data-typeahead-value>' in html
    assert f'data-typeahead-url="{SUGGEST}?kind=person"' in html
    assert f'data-typeahead-url="{SUGGEST}?kind=campaign"' in html
    box = re.search(r'<input[^>]*name="contact_search"[^>]*>', html).group(0)
    assert 'id="id_contact"' in box and f'value="Pat Lee (#{person.pk})"' in box
    assert '<label class="form-label small mb-1" for="id_contact">' in html
    assert f'value="Spring renewals (#{campaign.pk})"' in html


def test_picked_ids_are_saved(client, coordinator, member):
    """Rule: the picked ids (hidden inputs, box showing their labels) are what is saved."""
    person, campaign = member
    response = _post(
        client,
        contact=str(person.pk),
        contact_search=f"Pat Lee (#{person.pk})",
        campaign=str(campaign.pk),
        campaign_search=f"Spring renewals (#{campaign.pk})",
    )
    assert response.status_code == 302
    message = MessageLog.objects.get()
    assert (message.contact_id, message.campaign_id) == (person.pk, campaign.pk)


def test_without_javascript_typed_text_is_resolved(client, coordinator, member):
    """Rule: with JavaScript off only the box is filled; a label, an ID or a unique name in it
    resolves to the record."""
    person, campaign = member
    response = _post(
        client, contact="", contact_search="pat lee", campaign="", campaign_search="spring"
    )
    assert response.status_code == 302
    message = MessageLog.objects.get()
    assert (message.contact_id, message.campaign_id) == (person.pk, campaign.pk)
    response = _post(client, contact_search=f"Someone (#{person.pk})", campaign_search="")
    assert response.status_code == 302
    assert MessageLog.objects.filter(contact_id=person.pk, campaign_id=None).exists()


def test_text_typed_after_a_pick_wins_over_the_stale_id(client, coordinator, member):
    """Rule: when the box no longer shows the picked record's label, the typed text counts (a
    stale hidden id never saves a record the user no longer sees)."""
    person, _ = member
    response = _post(client, contact=str(person.pk), contact_search="nobody like this")
    assert response.status_code == 200
    assert "Nobody matches “nobody like this”." in response.content.decode()
    assert not MessageLog.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"contact": "999999", "contact_search": "Ghost (#999999)"}, "No person with ID 999999."),
        (
            {"campaign": "999999", "campaign_search": "Gone (#999999)"},
            "No campaign with ID 999999.",
        ),
        ({"campaign_search": "no such campaign"}, "No campaign matches “no such campaign”."),
        ({"contact": str(2**63), "contact_search": f"Big (#{2**63})"}, "No person with ID"),
        ({"contact_search": "x" * 400}, "at most 300 characters"),
    ],
)
def test_unknown_or_bad_ids_are_form_errors(client, coordinator, member, fields, message):
    """Rule: an unknown or out-of-range id, or text no record matches, is a form error with a
    message; nothing is saved."""
    person, _ = member
    data = {"contact": str(person.pk), "contact_search": f"Pat Lee (#{person.pk})"}
    data.update(fields)
    response = _post(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MessageLog.objects.exists()


def test_ambiguous_campaign_name_lists_the_matches(client, coordinator, member):
    """Rule: a typed name that matches several campaigns lists them with their IDs."""
    person, campaign = member
    someone = builders.contact(company=builders.company(), email_status="green")
    other = campaign_with_member(someone, status="sent", name="Spring renewals 2")
    response = _post(client, contact=str(person.pk), campaign_search="spring renewals")
    body = response.content.decode()
    assert "Several campaigns match" in body
    assert f"#{campaign.pk}" in body and f"#{other.pk}" in body
