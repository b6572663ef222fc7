"""Bulk status change on the campaign list in a real browser: select all → confirm page that
states count and field → confirmed; the Export CSV link is on the page."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from marketing.models import Campaign
from marketing.services.campaigns import campaign_transition
from outreach_admin.db import acting_as
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_campaign_bulk_pause_through_the_confirm_page(signed_in_page, live_server, coordinator):
    """Select all → Change status of 3 selected → confirm page says 3 and status → paused."""
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    with acting_as("setup"):
        for name in ("Spring renewals", "Summer renewals", "Autumn renewals"):
            c = Campaign.objects.create(name=name, type="renewal")
            campaign_transition(campaign_id=c.pk, to_status="active", actor="setup")
    page = signed_in_page
    page.goto(f"{live_server.url}/marketing/campaigns/")
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    button = page.get_by_role("button", name="Change status of 0 selected…")
    expect(button).to_be_disabled()
    page.get_by_label("Select all on this page").check()
    page.get_by_label("Change status of selected to").select_option("paused")
    screenshot(page, "campaign_list_bulk_selected")
    page.get_by_role("button", name="Change status of 3 selected…").click()
    expect(page.get_by_text("Change the status of 3 campaigns to paused.")).to_be_visible()
    screenshot(page, "campaign_bulk_confirm")
    page.get_by_role("button", name="Change 3 to paused").click()
    expect(page.get_by_text("3 campaigns now paused.")).to_be_visible()
    assert set(Campaign.objects.values_list("status", flat=True)) == {"paused"}
