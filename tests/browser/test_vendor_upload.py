"""A vendor file in a real browser (issue 16): upload the Apollo fixture, confirm the mapping
step (detected preset, sample values), promote, read the result and one person's field
provenance panel. Screenshots: test-artifacts/screenshots/vendor-*.png."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

APOLLO = Path(__file__).resolve().parents[1] / "intake" / "data" / "apollo_people.csv"


def test_apollo_upload_map_promote_and_provenance(signed_in_page, live_server, coordinator):
    coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    page = signed_in_page
    page.goto(f"{live_server.url}/intake/upload/")
    page.get_by_label("File").set_input_files(str(APOLLO))
    page.get_by_label("Source").select_option("apollo")
    page.get_by_label("Batch id").fill("apollo-browser")
    page.get_by_role("button", name="Upload and store").click()

    page.wait_for_url("**/intake/upload/map/")
    expect(page.get_by_text("Apollo people export")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Sample values")).to_be_visible()
    expect(page.get_by_text("020 7946 0958").first).to_be_visible()
    expect(page.get_by_label("Mobile Phone")).to_have_value("mobile_phone")
    screenshot(page, "vendor-mapping")
    page.get_by_role("button", name="Store rows").click()

    page.wait_for_url("**/intake/batches/apollo-browser/")
    page.get_by_role("button", name="Promote batch").click()
    page.wait_for_load_state()
    result = page.locator("#promotion-result")
    expect(result).to_be_visible()
    expect(result.get_by_text("People:")).to_be_visible()
    expect(result.get_by_text("promoted=")).to_have_count(0)
    screenshot(page, "vendor-promotion-result")

    result.get_by_role("link", name="Mary O'Brien").first.click()
    page.wait_for_load_state()
    assert "/people/" in page.url
    expect(page.get_by_role("heading", name="Mary O'Brien")).to_be_visible()
    panel = page.locator("#field-provenance")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("rowheader", name="Title")).to_be_visible()
    expect(panel.get_by_role("link", name="load #").first).to_be_visible()
    expect(page.get_by_text("+442079460958").first).to_be_visible()
    screenshot(page, "vendor-person-provenance")

    page.get_by_role("link", name="Harbour Freight Ltd").first.click()
    page.wait_for_load_state()
    assert "/companies/" in page.url
    expect(
        page.locator("#field-provenance").get_by_role("rowheader", name="Industry")
    ).to_be_visible()
    expect(page.get_by_text("Logistics & Supply Chain").first).to_be_visible()
    screenshot(page, "vendor-company-provenance")
