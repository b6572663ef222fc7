"""Intake in a real browser: upload a small JSON file, promote it, follow the lineage."""

import json

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ROWS = [
    {
        "email": "dana@acme-benefits.example",
        "name": "Dana Ruiz",
        "title": "Chief Financial Officer",
        "company": "Acme Benefits Co",
        "website": "https://acme-benefits.example",
    },
    {
        "email": "lee@acme-benefits.example",
        "name": "Lee Park",
        "title": "HR Manager",
        "company": "Acme Benefits Co",
    },
    {"email": "broken-address", "name": "No Email"},
]


def test_upload_promote_and_lineage(signed_in_page, live_server, coordinator, tmp_path):
    """Upload → batch page → promote → golden records linked → load page shows what it fed."""
    coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    page = signed_in_page
    path = tmp_path / "acme.json"
    path.write_text(json.dumps(ROWS))

    page.goto(f"{live_server.url}/intake/upload/")
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Source").select_option("apollo")
    page.get_by_label("Batch id").fill("acme-demo")
    screenshot(page, "intake-upload")
    page.get_by_role("button", name="Upload and store").click()
    page.wait_for_url("**/intake/batches/acme-demo/")
    expect(page.get_by_text("2 stored as pending")).to_be_visible()
    expect(page.get_by_text("row 3 skipped: email has no @")).to_be_visible()

    page.get_by_role("button", name="Promote batch (2)").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Golden records created or changed")).to_be_visible()
    expect(page.get_by_role("link", name="dana@acme-benefits.example")).to_be_visible()
    screenshot(page, "intake-batch")

    page.get_by_role("link", name="Dana Ruiz").first.click()
    page.wait_for_load_state()
    assert "/people/" in page.url
    page.go_back()
    first_load = page.locator("table tbody tr td:nth-child(2) a").first
    first_load.click()
    page.wait_for_load_state()
    expect(page.get_by_text("What it fed")).to_be_visible()
    expect(page.get_by_text("Person:")).to_be_visible()
    screenshot(page, "intake-load-lineage")
