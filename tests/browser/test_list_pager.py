"""The list pager in a real browser: keyset Next/Previous with the ] and [ keys (issue 11, B2)."""

import re

import pytest
from playwright.sync_api import expect

from tests import builders as b
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_people_list_walks_pages_with_bracket_keys(signed_in_page, live_server):
    """] and [ follow the pager's Next/Previous cursors; the pager says which rows are shown,
    and Previous is disabled on the first page, Next on the last."""
    for i in range(120):
        b.contact(f"Pager {i:03d} Person", email_status="green")
    page = signed_in_page
    page.goto(f"{live_server.url}/people/?q=pager&sort=full_name")
    pager = page.get_by_role("navigation", name="Pages of this list")
    expect(pager).to_contain_text("Rows 1–50")
    expect(pager.locator(".disabled", has_text="Previous")).to_be_visible()
    expect(page.get_by_role("cell", name="Pager 000 Person")).to_be_visible()
    screenshot(page, "list-pager-people-first")

    page.keyboard.press("]")
    expect(pager).to_contain_text("Rows 51–100")
    assert re.search(r"cursor=", page.url)
    expect(page.get_by_role("cell", name="Pager 050 Person")).to_be_visible()
    expect(pager.get_by_role("link", name=re.compile("Previous"))).to_be_visible()
    screenshot(page, "list-pager-people-middle")

    page.keyboard.press("]")
    expect(pager).to_contain_text("Rows 101–120")
    expect(pager.locator(".disabled", has_text="Next")).to_be_visible()
    expect(page.get_by_role("cell", name="Pager 119 Person")).to_be_visible()
    screenshot(page, "list-pager-people-last")

    page.keyboard.press("[")
    expect(pager).to_contain_text("Rows 51–100")
    expect(page.get_by_role("cell", name="Pager 099 Person")).to_be_visible()
    page.keyboard.press("[")
    expect(pager).to_contain_text("Rows 1–50")
    expect(pager.locator(".disabled", has_text="Previous")).to_be_visible()


def test_bad_cursor_shows_the_first_page(signed_in_page, live_server):
    """A hand-edited cursor in the address bar shows the first page, not an error page."""
    for i in range(3):
        b.contact(f"Cursor {i} Person")
    page = signed_in_page
    page.goto(f"{live_server.url}/people/?q=cursor&cursor=not-a-real-cursor")
    expect(page.get_by_role("cell", name="Cursor 0 Person")).to_be_visible()
    expect(page.get_by_text("All 3 rows shown")).to_be_visible()  # one page: no buttons
    screenshot(page, "list-pager-bad-cursor")
