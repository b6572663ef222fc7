"""Duplicates in a real browser: queue → compare → merge → merge log → undo, with screenshots."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from playwright.sync_api import expect

from companies.models import Company, CompanyHistory, CompanySlot
from intake.services import duplicates_detect
from people.models import Contact, MergeLog, PersonHistory, ResolutionQueue
from tests import builders as b
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def dupes_world(coordinator):
    coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    acme = b.company("Holloway Benefits", website_url="https://holloway-benefits.example")
    globex = b.company("Fairbanks Logistics", website_url="https://fairbanks.example")
    b.contact(
        "Katherine Holloway",
        company=acme,
        title="Chief Financial Officer",
        email="katherine.holloway@holloway-benefits.example",
        email_status="green",
        phone="(415) 555-0142",
    )
    b.contact(
        "Kate Holloway",
        company=acme,
        title="CFO",
        email="Katherine.Holloway+crm@holloway-benefits.example",
        email_status="gray",
        linkedin_url="https://www.linkedin.com/in/kate-holloway/",
    )
    b.contact(
        "Robert Fairbanks", company=globex, email="rob@fairbanks.example", email_status="green"
    )
    b.contact("Bob Fairbanks", company=globex, email="bob.f@gmail.com", email_status="gray")
    b.contact("John Smith", company=acme, email="john.smith@holloway-benefits.example")
    b.contact("John Smith", company=globex, email="john.smith@fairbanks.example")
    duplicates_detect(actor="setup")
    companies = [acme.pk, globex.pk]
    yield
    with transaction.atomic():
        people = list(Contact.objects.filter(company_id__in=companies).values_list("pk", flat=True))
        MergeLog.objects.filter(survivor_id__in=people).delete()
        ResolutionQueue.objects.filter(contact_primary_id__in=people).delete()
        CompanySlot.objects.filter(company_id__in=companies).update(contact=None)
        Contact.objects.filter(pk__in=people).update(status="active", merged_into=None)
        Contact.objects.filter(pk__in=people).delete()
        Company.objects.filter(pk__in=companies).delete()
        PersonHistory.objects.filter(contact_id__in=people).delete()
        CompanyHistory.objects.filter(company_id__in=companies).delete()
        from intake.models import PleCycle

        PleCycle.objects.filter(cycle_name="detect_duplicates", started_by="setup").delete()


def test_merge_from_queue_then_undo(signed_in_page, live_server, dupes_world):
    """A coordinator opens the queue, compares a pair, merges it and undoes the merge."""
    page = signed_in_page
    page.goto(f"{live_server.url}/people/duplicates/")
    expect(page.get_by_role("heading", name="Duplicate people")).to_be_visible()
    expect(page.locator("tr[data-pair-url]")).to_have_count(2)
    screenshot(page, "duplicates-queue")

    page.keyboard.press("m")  # open the selected (top-scored) pair
    page.wait_for_load_state()
    expect(page.get_by_text("Impact of merging")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Holloway")
    screenshot(page, "duplicate-compare")

    page.get_by_role("button", name="Merge into").click()
    page.wait_for_load_state()
    expect(page.get_by_text("You can undo this merge")).to_be_visible()
    screenshot(page, "merge-log")
    assert Contact.objects.filter(status="merged").count() == 1

    page.get_by_role("button", name="Undo this merge").click()
    page.wait_for_load_state()
    expect(page.get_by_text("is back with everything that moved")).to_be_visible()
    assert Contact.objects.filter(status="merged").count() == 0
