"""The first login on the demo data (issue 17): every job has work — companies ready to launch,
unambiguous pairs for the bulk merge, overdue and fresh handoffs — and the pages read well
(screenshots of the dashboard, renewals, duplicates, bulk-merge preview and handoffs)."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from outreach_admin.models import SavedView
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ONE_FORMAT = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")


@pytest.fixture
def demo(coordinator):
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    call_command("seed_demo", "--companies", "30", stdout=io.StringIO())
    yield coordinator
    SavedView.objects.filter(owner_id=coordinator.pk).delete()


def test_first_login_finds_work_in_every_job(signed_in_page, live_server, demo):
    """Dashboard, renewals (ready rows), duplicates (bulk merge previews pairs it will merge)
    and handoffs (an overdue row and a fresh one) on the demo data, each screenshotted."""
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-funnel')")
    ready = page.locator('[data-stat="ready"]').first.inner_text()
    assert int(ready.replace(",", "")) > 0
    screenshot(page, "demo_dashboard")

    page.goto(f"{live_server.url}/marketing/renewals/?ready=yes")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 2
    assert ONE_FORMAT.search(rows.first.inner_text())
    screenshot(page, "demo_renewals_ready")

    page.goto(f"{live_server.url}/people/duplicates/")
    expect(page.get_by_role("link", name="Bulk merge unambiguous…")).to_be_visible()
    screenshot(page, "demo_duplicates")
    page.get_by_role("link", name="Bulk merge unambiguous…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk merge: preview")
    assert page.locator("table tbody tr:not(.table-danger)").count() >= 3
    screenshot(page, "demo_bulk_merge_preview")

    page.goto(f"{live_server.url}/marketing/handoffs/")
    assert page.locator("tr.table-danger").count() >= 1  # overdue
    assert page.locator("tbody tr:not(.table-danger)").count() >= 1
    due = page.locator("tbody tr time").first
    assert re.search(r"ago|in ", due.inner_text())
    assert ONE_FORMAT.search(due.get_attribute("title"))
    screenshot(page, "demo_handoffs")
