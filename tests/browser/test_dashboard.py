"""The home dashboard in a real browser: charts drawn, a bar and a number each open the filtered
list behind them; the header search and the Views menu work from the keyboard and mouse."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from companies.models import Company
from outreach_admin.models import SavedView
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(coordinator):
    """The demo data set (20 companies) and a coordinator to look at it."""
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    call_command("seed_demo", "--companies", "20", stdout=io.StringIO())
    yield coordinator
    # The users table is emptied by TRUNCATE (it was empty before), which does not reach the
    # views a test saved (no database FK): remove them here.
    SavedView.objects.filter(owner_id=coordinator.pk).delete()


def _bar_point(page, canvas_id, dataset, index):
    """Page coordinates of a bar's centre, from Chart.js's own layout."""
    return page.evaluate(
        """([id, d, i]) => {
            const canvas = document.getElementById(id);
            const bar = Chart.getChart(canvas).getDatasetMeta(d).data[i];
            const box = canvas.getBoundingClientRect();
            const p = bar.getCenterPoint();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [canvas_id, dataset, index],
    )


def test_dashboard_bar_and_number_open_the_filtered_list(signed_in_page, live_server, demo):
    """Clicking the "In a slot" funnel bar opens people holding a slot; clicking the open CEO
    slots number opens the CEO slot queue; the dashboard screenshot is saved."""
    page = signed_in_page
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-funnel')")
    for canvas in ("chart-funnel", "chart-coverage", "chart-renewals", "chart-queues"):
        assert page.evaluate("id => !!Chart.getChart(id)", canvas), canvas
    slotted = page.get_by_test_id("funnel").locator('[data-stat="slotted"]').inner_text()
    assert int(slotted.replace(",", "")) > 0
    screenshot(page, "dashboard")

    point = _bar_point(page, "chart-funnel", 0, 3)  # the fourth stage: "In a slot"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/people/?has_slot=true")
    expect(page.get_by_label("Holds a slot")).to_have_value("true")

    page.go_back()
    page.get_by_test_id("coverage").locator('[data-stat="open-CEO"] a').click()
    page.wait_for_url("**/companies/slots/?role_code=CEO")
    expect(page.get_by_label("Role")).to_have_value("CEO")


def test_header_search_and_saved_views(signed_in_page, live_server, demo):
    """/ focuses the header search; a one-letter typo finds the company; a list saved from the
    Views menu appears there and restores the list."""
    page = signed_in_page
    company = Company.objects.order_by("company_id").first()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("/")
    box = page.get_by_label("Find a company, person or campaign").first
    expect(box).to_be_focused()
    name = company.company_name
    typo = name[:2] + ("x" if name[2] != "x" else "y") + name[3:]
    box.fill(typo)
    box.press("Enter")
    page.wait_for_load_state()
    if "/search/" in page.url:
        screenshot(page, "search-results")
        page.get_by_role("link", name=re.compile(re.escape(name))).first.click()
    page.wait_for_url(f"**/companies/{company.pk}/")

    page.goto(f"{live_server.url}/companies/slots/?role_code=HR")
    page.get_by_role("button", name="Views").click()
    expect(page.get_by_text("Save this list as a view")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Open CEO slots"))).to_be_visible()
    screenshot(page, "saved-views-menu")
    page.get_by_label("Save this list as a view").fill("My HR slots")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/companies/slots/?role_code=HR")
    expect(page.get_by_text("Saved view “My HR slots”")).to_be_visible()

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Views").click()
    page.get_by_role("link", name=re.compile("My HR slots")).click()
    page.wait_for_url("**/companies/slots/?role_code=HR")
    expect(page.get_by_label("Role")).to_have_value("HR")
