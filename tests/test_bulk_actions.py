"""Bulk actions on lists: a confirm step that states how many records and which field, then
exactly the selected rows change; viewers and bad selections change nothing."""

import re

import pytest
from django.urls import reverse

from marketing.models import AcHandoff, Campaign
from marketing.services.campaigns import campaign_transition
from tests import builders as b
from tests.marketing.handoff_fixtures import (
    fast_password_hasher,  # noqa: F401 (autouse fixture)
    pending_handoff,
)

pytestmark = pytest.mark.django_db

ASSIGN = reverse("marketing:handoff_bulk_assign")
STATUS = reverse("marketing:campaign_bulk_transition")
PICK_ERROR = "Choose an active coordinator or admin from the list."


@pytest.fixture
def coordinator(client):
    u = b.user("casey")
    client.force_login(u)
    return u


@pytest.fixture
def viewer(client):
    u = b.user("vic", group="viewer")
    client.force_login(u)
    return u


def _msgs(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _handoffs(n=4):
    return [pending_handoff(company_name=f"Co {i}") for i in range(n)]


def test_handoff_list_has_checkboxes_and_bulk_form(client, coordinator):
    """The handoff list offers a checkbox per row and the bulk-assign form."""
    h = _handoffs(1)[0]
    html = client.get(reverse("marketing:handoff_list")).content.decode()
    assert 'id="handoff-bulk-form"' in html
    assert f'name="ids" value="{h.pk}"' in html


def assert_reads_as_words(html):
    """No developer words in the page's text: no "field:" notes, no column names."""
    text = re.sub(r"<[^>]+>", " ", html)
    assert "field:" not in text
    assert not re.search(r"\b(assigned_to|to_status|campaign_id|contact_id)\b", text), text


def test_handoff_bulk_assign_confirm_states_count_and_field(client, coordinator):
    """The first POST changes nothing and says, in words: Assign 3 handoffs to dana. (It said
    "(field: assigned_to)", a column name.)"""
    dana = b.user("dana")
    hs = _handoffs(4)
    ids = [h.pk for h in hs[:3]]
    response = client.post(ASSIGN, {"ids": ids, "assignee": dana.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Assign 3 handoffs to dana." in html
    assert_reads_as_words(html)
    for pk in ids:
        assert f'name="ids" value="{pk}"' in html
    assert f'value="{hs[3].pk}"' not in html
    assert not AcHandoff.objects.filter(assigned_to__username="dana").exists()


def test_handoff_bulk_assign_confirmed_changes_exactly_those(client, coordinator):
    """The confirmed POST assigns exactly the selected handoffs and no others."""
    dana = b.user("dana")
    hs = _handoffs(4)
    ids = [h.pk for h in hs[:3]]
    response = client.post(
        ASSIGN, {"ids": ids, "assignee": dana.pk, "confirmed": "yes"}, follow=True
    )
    assert "3 handoffs assigned to dana." in _msgs(response)
    assert set(AcHandoff.objects.filter(assigned_to=dana).values_list("pk", flat=True)) == set(ids)
    assert AcHandoff.objects.get(pk=hs[3].pk).assigned_to_id != dana.pk


def test_handoff_bulk_assign_viewer_forbidden(client, viewer):
    """A viewer gets 403 and nothing changes."""
    dana = b.user("dana")
    hs = _handoffs(2)
    response = client.post(
        ASSIGN, {"ids": [h.pk for h in hs], "assignee": dana.pk, "confirmed": "yes"}
    )
    assert response.status_code == 403
    assert not AcHandoff.objects.filter(assigned_to__username="dana").exists()


@pytest.mark.parametrize(
    ("ids", "assignee", "expected"),
    [
        (["abc"], "dana", "Nothing was changed: Ids must be whole numbers."),
        ([], "dana", "Nothing was changed: Select at least one handoff first."),
        ("missing", "dana", "Nothing was changed: no handoff #999999."),
        ("ok", "nobody", f"Nothing was changed: {PICK_ERROR}"),
        ("ok", "vic", f"Nothing was changed: {PICK_ERROR}"),
        ("ok", "999999999999999999999", f"Nothing was changed: {PICK_ERROR}"),
        ("ok", "", "Nothing was changed: This field is required."),
    ],
)
def test_handoff_bulk_assign_bad_input_changes_nothing(
    client, coordinator, ids, assignee, expected
):
    """Bad ids or a non-coordinator, unknown or junk assignee id: a clear message and nothing
    changed (a form error, never a 500)."""
    users = {"dana": b.user("dana").pk, "vic": b.user("vic", group="viewer").pk}
    assignee = users.get(assignee, assignee)
    hs = _handoffs(2)
    if ids == "ok":
        ids = [h.pk for h in hs]
    elif ids == "missing":
        ids = [hs[0].pk, 999999]
    before = list(AcHandoff.objects.order_by("pk").values_list("pk", "assigned_to_id"))
    response = client.post(
        ASSIGN, {"ids": ids, "assignee": assignee, "confirmed": "yes"}, follow=True
    )
    assert expected in _msgs(response)
    assert list(AcHandoff.objects.order_by("pk").values_list("pk", "assigned_to_id")) == before


def test_handoff_bulk_assign_is_all_or_nothing(client, coordinator):
    """If one selected handoff cannot be reassigned (closed), none of them change."""
    from marketing.services.handoffs import handoff_reject

    dana = b.user("dana")
    hs = _handoffs(3)
    handoff_reject(handoff_id=hs[2].pk, reason_code="other", note="n", actor="x")
    before = list(AcHandoff.objects.order_by("pk").values_list("pk", "assigned_to_id"))
    response = client.post(
        ASSIGN, {"ids": [h.pk for h in hs], "assignee": dana.pk, "confirmed": "yes"}, follow=True
    )
    assert any(m.startswith("Nothing was changed:") for m in _msgs(response))
    assert list(AcHandoff.objects.order_by("pk").values_list("pk", "assigned_to_id")) == before


def _campaigns():
    drafts = [Campaign.objects.create(name=f"C{i}", type="renewal") for i in range(3)]
    for c in drafts:
        campaign_transition(campaign_id=c.pk, to_status="active", actor="t")
    done = Campaign.objects.create(name="Done", type="renewal")
    campaign_transition(campaign_id=done.pk, to_status="active", actor="t")
    campaign_transition(campaign_id=done.pk, to_status="completed", actor="t")
    return drafts, done


def test_campaign_bulk_confirm_states_count_and_target(client, coordinator):
    """The first POST changes nothing and states how many campaigns and the target status, in
    words (it said "(field: status)")."""
    active, done = _campaigns()
    ids = [c.pk for c in active[:2]] + [done.pk]
    html = client.post(STATUS, {"ids": ids, "to_status": "paused"}).content.decode()
    assert "Change the status of 3 campaigns to paused." in html
    assert_reads_as_words(html)
    assert "1 of them cannot move there and will be refused." in html
    assert set(Campaign.objects.values_list("status", flat=True)) == {"active", "completed"}


def test_campaign_bulk_confirmed_moves_those_and_reports_refusals(client, coordinator):
    """Allowed moves happen for exactly the selected campaigns; a refused one is reported."""
    active, done = _campaigns()
    ids = [c.pk for c in active[:2]] + [done.pk]
    response = client.post(
        STATUS, {"ids": ids, "to_status": "paused", "confirmed": "yes"}, follow=True
    )
    msgs = _msgs(response)
    assert "2 campaigns now paused." in msgs
    assert any(m.startswith(f'Refused for #{done.pk} "Done"') for m in msgs)
    statuses = dict(Campaign.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in active] == ["paused", "paused", "active"]
    assert statuses[done.pk] == "completed"


def test_campaign_bulk_viewer_forbidden(client, viewer):
    """A viewer gets 403 and no campaign changes."""
    active, _ = _campaigns()
    response = client.post(
        STATUS, {"ids": [c.pk for c in active], "to_status": "paused", "confirmed": "yes"}
    )
    assert response.status_code == 403
    assert set(Campaign.objects.values_list("status", flat=True)) == {"active", "completed"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"ids": ["x"], "to_status": "paused"}, "Nothing was changed: Ids must be whole numbers."),
        ({"ids": [999999], "to_status": "paused"}, "Nothing was changed: no campaign #999999."),
        ({"to_status": "paused"}, "Nothing was changed: Select at least one campaign first."),
    ],
)
def test_campaign_bulk_bad_input_changes_nothing(client, coordinator, data, expected):
    """Bad ids: a clear message and nothing changed."""
    _campaigns()
    before = dict(Campaign.objects.values_list("pk", "status"))
    response = client.post(STATUS, {**data, "confirmed": "yes"}, follow=True)
    assert expected in _msgs(response)
    assert dict(Campaign.objects.values_list("pk", "status")) == before


def test_select_all_header_checkbox_is_not_submitted(client, coordinator):
    """Only row checkboxes belong to the bulk form; the select-all box carries no ids."""
    _campaigns()
    html = client.get(reverse("marketing:campaign_list")).content.decode()
    assert 'data-select-all="campaign-bulk-form"' in html
    head = html.split('data-select-all="campaign-bulk-form"')[0].rsplit("<input", 1)[1]
    assert 'name="ids"' not in head
    assert html.count('name="ids"') == 4
