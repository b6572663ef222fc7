"""Editing a person in a real browser, by keyboard: the page, a field error, then a leaver whose
slot goes stale; screenshots of each step."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from playwright.sync_api import expect

from companies.models import Company, CompanyHistory, CompanySlot
from companies.services import slot_assign
from people.models import Contact, PersonHistory, PersonIntelligence
from tests import builders as b
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def cfo(coordinator):
    coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    acme = b.company("Bluebird Dental Group", website_url="https://bluebird-dental.example")
    person = b.contact(
        "Morgan Reyes",
        company=acme,
        first_name="Morgan",
        last_name="Reyes",
        title="Chief Financial Officer",
        email="morgan.reyes@bluebird-dental.example",
        work_phone_e164="+16145550134",
        linkedin_url="https://www.linkedin.com/in/morgan-reyes",
        email_status="green",
    )
    slot = b.slot(acme, "CFO")
    slot_assign(slot_id=slot.pk, contact_id=person.pk, actor="setup")
    yield person, slot
    with transaction.atomic():
        CompanySlot.objects.filter(company=acme).update(contact=None)
        PersonIntelligence.objects.filter(contact=person).delete()
        Contact.objects.filter(pk=person.pk).delete()
        Company.objects.filter(pk=acme.pk).delete()
        PersonHistory.objects.filter(contact_id=person.pk).delete()
        CompanyHistory.objects.filter(company_id=acme.pk).delete()


def test_edit_a_person_by_keyboard_and_mark_them_left(signed_in_page, live_server, cfo):
    """Person page → Edit; the name field has focus; a bad phone is an error beside the field
    with the input kept; 'Left the company' saves and reports the CFO slot stale."""
    person, slot = cfo
    page = signed_in_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Edit Morgan Reyes")
    expect(page.get_by_label("Full name")).to_be_focused()
    screenshot(page, "person-edit")

    page.get_by_label("Work phone").fill("call me maybe")
    page.get_by_label("Title").fill("CFO")
    page.get_by_label("Title").press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("is not a valid phone number")).to_be_visible()
    expect(page.get_by_label("Work phone")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_have_value("CFO")
    screenshot(page, "person-edit-error")
    assert Contact.objects.get(pk=person.pk).title == "Chief Financial Officer"

    page.get_by_label("Work phone").fill("+1 614 555 0134")
    page.get_by_label("Status").select_option(label="Left the company")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Morgan Reyes saved.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="slots are now stale")).to_contain_text(
        "CFO at Bluebird Dental Group"
    )
    screenshot(page, "person-edit-saved")
    saved = Contact.objects.get(pk=person.pk)
    assert (saved.status, saved.title) == ("inactive", "CFO")

    page.goto(f"{live_server.url}/people/{person.pk}/edit/")
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "person-edit-phone")
    assert width <= 390, f"the edit page scrolls sideways on a phone ({width}px)"


@pytest.fixture
def mover(coordinator):
    """Jo Park at Old Co (older record, CFO slot) and at New Co (newer record), queued as a pair."""
    from people.models import ResolutionQueue

    coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    old_co = b.company("Harbor Freight Dental", website_url="https://harbor-dental.example")
    new_co = b.company("Summit Orthodontics", website_url="https://summit-ortho.example")
    former = b.contact("Jo Park", company=old_co, title="CFO", email="jo@harbor-dental.example")
    slot_assign(slot_id=b.slot(old_co, "CFO").pk, contact_id=former.pk, actor="setup")
    current = b.contact(
        "Joanna Park",
        company=new_co,
        title="Chief Financial Officer",
        email_status="green",
        email="joanna.park@summit-ortho.example",
    )
    pair = ResolutionQueue.objects.create(
        contact_primary=former,
        contact_duplicate=current,
        conflict_type="name_similar",
        score="0.820",
        recommendation="likely_job_change",
    )
    yield former, current, pair
    with transaction.atomic():
        ids, companies = [former.pk, current.pk], [old_co.pk, new_co.pk]
        ResolutionQueue.objects.filter(pk=pair.pk).delete()
        CompanySlot.objects.filter(company_id__in=companies).update(contact=None)
        PersonIntelligence.objects.filter(contact_id__in=ids).delete()
        Contact.objects.filter(pk__in=ids).delete()
        Company.objects.filter(pk__in=companies).delete()
        PersonHistory.objects.filter(contact_id__in=ids).delete()
        CompanyHistory.objects.filter(company_id__in=companies).delete()


def test_link_a_pair_as_a_job_change(signed_in_page, live_server, mover):
    """The compare page shows each value's source and why it is the default, offers the link
    with the newer record as the current job; 'l' links it and the pair leaves the queue."""
    former, current, pair = mover
    page = signed_in_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/people/duplicates/{pair.pk}/")
    expect(page.get_by_text("default: more complete").first).to_be_visible()
    expect(page.get_by_text("from manual record").first).to_be_visible()
    expect(page.locator(f"#job-current-{current.pk}")).to_be_checked()
    screenshot(page, "duplicate-compare-job-change")
    page.get_by_role("button", name="Link as job change").click()
    page.wait_for_load_state()
    expect(page.get_by_text("linked as a job change")).to_be_visible()
    assert Contact.objects.get(pk=former.pk).status == "inactive"
    page.goto(f"{live_server.url}/people/duplicates/")
    expect(page.locator(f'a[href="/people/duplicates/{pair.pk}/"]')).to_have_count(0)
