"""The New person and Edit person pages: coordinators save, viewers get 403, bad input is a
form error that changes nothing, a leaver's slots are reported stale."""

import pytest

from companies import selectors as company_selectors
from companies.services import slot_assign
from people import services
from people.models import Contact, PersonHistory
from tests import builders as b

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Morgan Reyes",
    "first_name": "Morgan",
    "last_name": "Reyes",
    "title": "Chief Financial Officer",
    "email": "morgan.reyes@bluebird.example",
    "work_phone_e164": "(614) 555-0134",
    "personal_phone_e164": "",
    "linkedin_url": "linkedin.com/in/morgan-reyes",
    "status": "active",
}


@pytest.fixture
def coordinator(client):
    u = b.user(group="coordinator")
    client.force_login(u)
    return u


@pytest.fixture
def viewer(client):
    u = b.user(group="viewer")
    client.force_login(u)
    return u


def _edit_data(person, **changes):
    data = {
        **FORM,
        "full_name": person.full_name,
        "email": person.email or "",
        "company": person.company_id or "",
        "status": person.status,
        "expected_updated_at": person.updated_at.isoformat(),
    }
    return {**data, **changes}


def test_coordinator_creates_a_person(client, coordinator):
    """GET shows the form (autofocus, employer picker, 'Left the company'); POST creates the
    person with a normalised phone and URL, history naming the user, and redirects."""
    acme = b.company("Bluebird Dental")
    page = client.get("/people/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "autofocus" in html and 'name="company_search"' in html
    assert ">Left the company</option>" in html and ">Merged" not in html
    response = client.post("/people/new/", {**FORM, "company": acme.pk})
    person = Contact.objects.get(email="morgan.reyes@bluebird.example")
    assert response.status_code == 302 and response.url == f"/people/{person.pk}/"
    assert person.work_phone_e164 == "+16145550134"
    assert person.linkedin_url == "https://linkedin.com/in/morgan-reyes"
    assert person.company_id == acme.pk and person.personal_phone_e164 is None
    (row,) = PersonHistory.objects.filter(contact_id=person.pk, action="insert")
    assert row.changed_by == coordinator.username
    assert "created" in client.get(response.url).content.decode()


def test_full_name_defaults_to_first_and_last(client, coordinator):
    client.post("/people/new/", {**FORM, "full_name": "", "email": "jo@x.example"})
    assert Contact.objects.get(email="jo@x.example").full_name == "Morgan Reyes"


def test_coordinator_edits_a_person_and_sees_the_buttons(client, coordinator):
    person = b.contact("Pat Quinn", title="HR lead")
    assert f"/people/{person.pk}/edit/" in client.get(f"/people/{person.pk}/").content.decode()
    assert "/people/new/" in client.get("/people/").content.decode()
    page = client.get(f"/people/{person.pk}/edit/")
    assert page.status_code == 200 and 'value="Pat Quinn"' in page.content.decode()
    response = client.post(f"/people/{person.pk}/edit/", _edit_data(person, title="CHRO"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.title == "CHRO"
    (row,) = PersonHistory.objects.filter(contact_id=person.pk, action="update")
    assert row.changed_by == coordinator.username
    assert client.get("/people/999999999/edit/").status_code == 404


def test_stale_edit_shows_the_conflict_and_keeps_the_input(client, coordinator):
    person = b.contact("Raced Person")
    data = _edit_data(person, title="Typed title")
    services.person_update(
        actor="other",
        person_id=person.pk,
        expected_updated_at=person.updated_at,
        data={"title": "Saved title"},
    )
    response = client.post(f"/people/{person.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed by other" in html and 'value="Typed title"' in html
    assert Contact.objects.get(pk=person.pk).title == "Saved title"


def test_taken_email_is_shown_beside_the_field(client, coordinator):
    b.contact("Owner", email="owned@acme.example")
    person = b.contact("Other")
    response = client.post(
        f"/people/{person.pk}/edit/", _edit_data(person, email="owned@acme.example")
    )
    assert response.status_code == 200
    assert "Another person already has this e-mail" in response.context["form"].errors["email"][0]


def test_leaving_through_the_page_reports_and_queues_the_slots(client, coordinator):
    """Saving 'Left the company' says which slots went stale; they are in the open-slots queue
    and the company page shows them stale."""
    acme = b.company("Departed Co")
    person = b.contact("Lee Leaver", company=acme)
    slot = b.slot(acme, "HR")
    slot_assign(slot_id=slot.pk, contact_id=person.pk, actor="setup")
    person.refresh_from_db()
    response = client.post(
        f"/people/{person.pk}/edit/", _edit_data(person, status="inactive"), follow=True
    )
    html = response.content.decode()
    assert "slots are now stale" in html and "HR at Departed Co" in html
    queue = client.get("/companies/slots/", {"q": "Departed"}).content.decode()
    assert f"/companies/slots/{slot.pk}/" in queue
    assert slot.pk in set(company_selectors.slot_queue().values_list("pk", flat=True))


def test_viewer_gets_403_and_no_buttons(client, viewer):
    person = b.contact("Viewed Person")
    assert client.get("/people/new/").status_code == 403
    assert client.get(f"/people/{person.pk}/edit/").status_code == 403
    assert client.post("/people/new/", FORM).status_code == 403
    assert client.post(f"/people/{person.pk}/edit/", _edit_data(person)).status_code == 403
    assert client.get("/people/999999999/edit/").status_code == 403  # not 404
    assert not Contact.objects.filter(email=FORM["email"]).exists()
    assert "/edit/" not in client.get(f"/people/{person.pk}/").content.decode()
    assert "/people/new/" not in client.get("/people/").content.decode()


BAD = [
    ("full_name", "x" * 301),
    ("full_name", "nul\x00name"),
    ("full_name", "Mor\ufffdgan"),
    ("email", "\ufffd@x.example"),
    ("email", "not-an-email"),
    ("email", "a@localhost"),
    ("email", "a" * 300 + "@x.example"),
    ("work_phone_e164", "12"),
    ("work_phone_e164", "call me"),
    ("personal_phone_e164", "+999 1234"),
    ("linkedin_url", "javascript:alert(1)"),
    ("linkedin_url", "https://exa mple.com"),
    ("company", "abc"),
    ("company", "999999999"),
    ("status", "merged"),
    ("status", "deleted"),
    ("title", "t" * 5000),
    ("expected_updated_at", "yesterday"),
    ("expected_updated_at", ""),
]


@pytest.mark.parametrize(("field", "value"), BAD, ids=[f"{f}={v[:12]!r}" for f, v in BAD])
def test_bad_input_is_a_form_error_and_changes_nothing(client, coordinator, field, value):
    """Each bad value re-renders the form (200) with an error; no row changes."""
    person = b.contact("Stable Person")
    before = Contact.objects.filter(pk=person.pk).values().get()
    edit = client.post(f"/people/{person.pk}/edit/", _edit_data(person, **{field: value}))
    assert edit.status_code == 200 and edit.context["form"].errors
    assert Contact.objects.filter(pk=person.pk).values().get() == before
    if field != "expected_updated_at":
        count = Contact.objects.count()
        new = client.post("/people/new/", {**FORM, field: value})
        assert new.status_code == 200 and field in new.context["form"].errors
        assert Contact.objects.count() == count


def test_edit_page_costs_a_bounded_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    person = b.contact("Counted Person")
    client.get(f"/people/{person.pk}/edit/")
    with django_assert_max_num_queries(10):
        assert client.get(f"/people/{person.pk}/edit/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.post(f"/people/{person.pk}/edit/", _edit_data(person)).status_code == 302


def test_employer_is_a_type_ahead_not_a_select_of_every_company(client, coordinator):
    """The employer box is the company picker: no <option> per company (100,000 at size M);
    the picker's label and a typed #id both save, the edit page shows "Name (#id)", and text
    that names no company is a form error that changes nothing."""
    acme = b.company("Bluebird Dental")
    b.company("Harbor Freight Dental")
    html = client.get("/people/new/").content.decode()
    assert "Bluebird Dental</option>" not in html and "Harbor Freight" not in html
    assert 'data-typeahead="pick"' in html and "kind=company" in html

    response = client.post(
        "/people/new/",
        {**FORM, "company": str(acme.pk), "company_search": f"Bluebird Dental (#{acme.pk})"},
    )
    assert response.status_code == 302
    person = Contact.objects.get(email=FORM["email"])
    assert person.company_id == acme.pk
    edit = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert f'value="Bluebird Dental (#{acme.pk})"' in edit

    for junk in ("Bluebird", "#99999999999999999999999", "12abc"):
        before = Contact.objects.count()
        response = client.post(
            "/people/new/", {**FORM, "email": "x@other.example", "company_search": junk}
        )
        assert response.status_code == 200
        assert "Pick the employer from the list" in response.content.decode()
        assert Contact.objects.count() == before
