"""Type-ahead in a real browser (issue 17): the header search suggests as you type, the keyboard
picks a suggestion (ArrowDown/ArrowUp, Enter, Escape) and lands on its page; a form picker
fills the hidden id from a suggestion and the form saves that record."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from marketing.models import MessageLog
from outreach_admin.db import acting_as
from tests import builders
from tests.browser.conftest import SCREENSHOT_DIR, screenshot, sign_in
from tests.marketing.handoff_fixtures import campaign_with_member

pytestmark = pytest.mark.browser

CLEANUP = [
    ("marketing.pipeline_events", "event_id"),
    ("marketing.ac_handoff", "handoff_id"),
    ("marketing.booking_event", "booking_event_id"),
    ("marketing.message_log", "message_log_id"),
    ("marketing.campaign", "campaign_id"),  # its members go with it (cascade)
    ("company.company_slot", "company_slot_id"),
    ("people.contact_verification", "contact_id"),
    ("people.contact", "contact_id"),
    ("company.company", "company_id"),
    ("company.history", "history_id"),
    ("people.history", "history_id"),
    ("marketing.history", "history_id"),
]


def _max_ids():
    out = {}
    with connection.cursor() as cur:
        for table, pk in CLEANUP:
            cur.execute(f"SELECT coalesce(max({pk}), 0) FROM {table}")
            out[table] = cur.fetchone()[0]
    return out


@pytest.fixture
def world(coordinator):
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    before = _max_ids()
    with acting_as("dana"):
        company = builders.company("Northwind Traders", website_url="https://northwind.example")
        other = builders.company("Northwind Logistics")
        person = builders.contact(
            "Nora Northwind",
            company=company,
            email="nora@northwind.example",
            email_status="green",
        )
        builders.contact("Noel Northwind", company=other, email="noel@northwind.example")
        campaign = campaign_with_member(person, name="Northwind spring renewal")
    yield {"company": company, "person": person, "campaign": campaign}
    with connection.cursor() as cur:
        for table, pk in CLEANUP:
            cur.execute(f"DELETE FROM {table} WHERE {pk} > %s", [before[table]])


def _header_box(page):
    return page.get_by_role("combobox", name="Find a company, person or campaign")


def test_header_typeahead_keyboard_opens_a_person(signed_in_page, live_server, world):
    """Typing in the header shows grouped suggestions; ArrowDown moves the highlight (announced
    through aria-activedescendant), Escape closes the list and keeps the text, Enter opens the
    highlighted record's page."""
    page = signed_in_page
    page.goto(f"{live_server.url}/")
    page.keyboard.press("/")
    box = _header_box(page)
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.type("northw")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    # Two companies, two people, one campaign, then "See all results".
    expect(options).to_have_count(6)
    expect(options.nth(0)).to_contain_text("Company")
    expect(options.nth(5)).to_contain_text("See all results")
    screenshot(page, "typeahead-header-open")

    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    page.keyboard.press("ArrowUp")  # wraps to the last option
    expect(options.nth(5)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()
    expect(box).to_have_value("northw")

    page.keyboard.press("ArrowDown")  # reopens on the first option
    expect(listbox).to_be_visible()
    nora = options.filter(has_text="Nora Northwind")
    while nora.get_attribute("aria-selected") != "true":
        page.keyboard.press("ArrowDown")
    screenshot(page, "typeahead-header-highlighted")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/people/{world['person'].pk}/$"))
    expect(page.get_by_role("heading", name=re.compile("Nora Northwind"))).to_be_visible()


def test_header_typeahead_click_and_enter_without_pick(signed_in_page, live_server, world):
    """A click on a suggestion opens it; Enter with nothing highlighted submits the search form
    (the full results page, as without JavaScript)."""
    page = signed_in_page
    page.goto(f"{live_server.url}/")
    box = _header_box(page)
    box.click()
    page.keyboard.type("northwind spring")
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.get_by_role("option", name=re.compile("Northwind spring renewal")).click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{world['campaign'].pk}/$"))

    box = _header_box(page)
    box.click()
    page.keyboard.type("northwind")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=northwind$"))
    expect(page.get_by_role("heading", name="Search")).to_be_visible()


def test_header_typeahead_on_a_phone(browser, live_server, world):
    """At 390 px the list fits the screen (no sideways scroll) inside the opened menu."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_server)
        page.get_by_role("button", name="Toggle navigation").click()
        box = _header_box(page)
        box.click()
        page.keyboard.type("northw")
        expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
        screenshot(page, "typeahead-header-phone")
        page.screenshot(path=str(SCREENSHOT_DIR / "typeahead-header-phone-top.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width}px"
    finally:
        context.close()


def test_message_form_pickers_save_the_picked_records(signed_in_page, live_server, world):
    """The message form's person and campaign are pickers: typing a name and choosing with the
    keyboard fills the hidden id, and the saved message has that person and campaign."""
    page = signed_in_page
    page.goto(f"{live_server.url}/marketing/messages/add/")
    person_box = page.get_by_role("combobox", name="Person", exact=True)
    person_box.click()
    page.keyboard.type("nora")
    listbox = page.get_by_role("listbox", name="Matching records")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option").first).to_contain_text("Nora Northwind")
    expect(listbox.get_by_role("option").first).to_contain_text("nora@northwind.example")
    screenshot(page, "typeahead-picker-open")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(person_box).to_have_value(f"Nora Northwind (#{world['person'].pk})")
    expect(page.locator('input[type="hidden"][name="contact"]')).to_have_value(
        str(world["person"].pk)
    )
    expect(listbox).to_be_hidden()

    campaign_box = page.get_by_role("combobox", name="Campaign", exact=True)
    campaign_box.click()
    page.keyboard.type("spring")
    campaign_list = page.locator("#" + campaign_box.get_attribute("aria-controls"))
    expect(campaign_list.get_by_role("option").first).to_contain_text("Northwind spring renewal")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(campaign_box).to_have_value(f"Northwind spring renewal (#{world['campaign'].pk})")
    page.get_by_label("Subject").fill("Renewal check-in")
    screenshot(page, "typeahead-picker-filled")
    page.get_by_role("button", name="Log message").click()
    expect(page.get_by_role("status").filter(has_text="message logged")).to_be_visible()
    message = MessageLog.objects.get(subject="Renewal check-in")
    assert message.contact_id == world["person"].pk
    assert message.campaign_id == world["campaign"].pk


def test_picker_typing_after_a_pick_forgets_the_id(signed_in_page, live_server, world):
    """Editing the box after a pick clears the hidden id, so the server resolves the new text:
    an ambiguous name is a form error listing the matches, nothing is saved."""
    page = signed_in_page
    page.goto(f"{live_server.url}/marketing/messages/add/")
    person_box = page.get_by_role("combobox", name="Person", exact=True)
    person_box.click()
    page.keyboard.type("nora")
    expect(page.get_by_role("listbox", name="Matching records")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(person_box).to_have_value(re.compile(r"\(#\d+\)$"))
    person_box.fill("Northwind")
    expect(page.locator('input[type="hidden"][name="contact"]')).to_have_value("")
    page.keyboard.press("Escape")
    page.get_by_label("Subject").fill("Ambiguous")
    page.get_by_role("button", name="Log message").click()
    expect(page.get_by_text("Several people match “Northwind”")).to_be_visible()
    screenshot(page, "typeahead-picker-error")
    assert not MessageLog.objects.filter(subject="Ambiguous").exists()


def test_see_all_pages_through_one_kind(signed_in_page, live_server, world):
    """From the header's "See all results", a kind's "See all" lists every match, paged."""
    from overview import search

    with acting_as("dana"):
        for n in range(search.PAGE_SIZE + 2):
            builders.company(f"Northwind Branch {n:02d}")
    page = signed_in_page
    page.goto(f"{live_server.url}/")
    _header_box(page).click()
    page.keyboard.type("northwind")
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.get_by_role("option", name="See all results").click()
    expect(page.get_by_role("heading", name="Search")).to_be_visible()
    page.get_by_test_id("see-all-company").click()
    expect(page.get_by_role("heading", name="Companies matching “northwind”")).to_be_visible()
    expect(page.get_by_test_id("results-company").get_by_role("listitem")).to_have_count(
        search.PAGE_SIZE
    )
    screenshot(page, "search-kind-page-1")
    page.get_by_test_id("next-page").click()
    expect(page.get_by_test_id("results-company").get_by_role("listitem")).to_have_count(4)
    screenshot(page, "search-kind-page-2")


def test_without_javascript_header_and_picker_still_work(browser, live_server, world):
    """With JavaScript off the header box is the plain search form (Enter shows the results
    page) and a picker is a text box whose typed name the server resolves."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1400, "height": 900}
    )
    page = context.new_page()
    try:
        sign_in(page, live_server)
        box = page.get_by_role("searchbox", name="Find a company, person or campaign")
        expect(box).not_to_have_attribute("role", "combobox")
        box.fill("northwind")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q=northwind$"))
        expect(page.get_by_test_id("results-company")).to_contain_text("Northwind Traders")

        page.goto(f"{live_server.url}/marketing/bookings/add/")
        page.get_by_role("textbox", name="Person", exact=True).fill("Nora Northwind")
        when = timezone.localtime() + timedelta(days=3)
        page.get_by_label("Meeting time").fill(when.strftime("%Y-%m-%dT10:30"))
        page.get_by_role("button", name="Record booking").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Handoff")
        screenshot(page, "typeahead-nojs-booking-saved")
    finally:
        context.close()
