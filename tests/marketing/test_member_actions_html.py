"""The members table's action cell, rendered in Python (issue 18: the per-row template cost 61 of
186 ms at size M), is the HTML its former template ``campaign_member_actions.html`` gave.

The expected fragments are that template's output, compared with the page by diff before the
change (CSRF token and ids normalised: identical): for users who may act, a draft campaign
offers Remove per member (the person's name escaped into the confirmation), an active one an
outcome form listing every outcome but the member's status, and a finished member (booked,
bounced, unsubscribed) nothing; a viewer gets an empty cell.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from marketing.models import CampaignContact
from marketing.services import campaigns as services
from people.models import Contact
from tests import builders as b
from tests.marketing.test_campaign_views import _draft

pytestmark = pytest.mark.django_db

CSRF = '<input type="hidden" name="csrfmiddlewaretoken" value="T">'


def _action_cells(client, campaign) -> list[str]:
    """The last cell of each member row, the CSRF token normalised."""
    html = client.get(reverse("marketing:campaign", args=[campaign.pk])).content.decode()
    html = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="T"', html
    )
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1] for row in body.split("<tr")[1:]]


def _remove(m):
    return (
        f'<form method="post" action="/marketing/campaigns/members/{m.pk}/remove/" class="d-inline"'
        f' data-confirm="Remove {escape(m.contact.full_name)} from the campaign?">{CSRF}<button'
        ' type="submit" class="btn btn-link btn-sm p-0 text-danger">Remove</button></form>\n'
    )


def _outcome(m, options):
    opts = "".join(f'<option value="{o}">{o}</option>' for o in options)
    return (
        f'<form method="post" action="/marketing/campaigns/members/{m.pk}/outcome/"'
        f' class="d-inline-flex gap-1 member-outcome">{CSRF}<label class="visually-hidden"'
        f' for="outcome-{m.pk}">Outcome for {escape(m.contact.full_name)}</label><select'
        f' class="form-select form-select-sm" name="outcome" id="outcome-{m.pk}">{opts}</select>'
        '<button type="submit" class="btn btn-sm btn-outline-secondary">Record</button></form>\n'
    )


def test_action_cells_equal_the_former_template_output(client):
    """Draft: Remove per member; active: outcome forms but none for a booked member; viewer:
    empty cells."""
    c = _draft(n_companies=3)
    members = list(CampaignContact.objects.filter(campaign=c).select_related("contact"))
    Contact.objects.filter(pk=members[0].contact_id).update(full_name='Pat "<O\'Neil>" & Co')
    members[0].contact.refresh_from_db()
    client.force_login(b.user(group="coordinator"))
    cells = _action_cells(client, c)
    assert sorted(cells) == sorted(_remove(m) for m in members)
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    CampaignContact.objects.filter(pk=members[1].pk).update(status="sent")
    CampaignContact.objects.filter(pk=members[2].pk).update(status="booked")
    outcomes = list(services.OUTCOMES)
    expected = [
        _outcome(members[0], [o for o in outcomes if o != "pending"]),
        _outcome(members[1], [o for o in outcomes if o != "sent"]),
        "\n",
    ]
    assert sorted(_action_cells(client, c)) == sorted(expected)
    client.force_login(b.user(group="viewer"))
    assert _action_cells(client, c) == ["\n"] * 3
