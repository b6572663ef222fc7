"""Company create and edit: services (slots, history, conflicts, renewal dates) and pages."""

import datetime

import pytest
from django.utils import timezone

from companies import services
from companies.models import Company, CompanyHistory, CompanySlot
from companies.services import CompanyConflict, CompanyError
from tests import builders as b

NEW = {
    "company_name": "Northwind Benefits",
    "website_url": "https://northwind.example.com",
    "industry": "Insurance",
    "city": "Columbus",
    "state_region": "OH",
    "country": "US",
    "renewal_month": 7,
    "renewal_notice_window_days": 120,
    "status": "active",
}


def _company_history(company, action):
    return list(
        CompanyHistory.objects.filter(company_id=company.pk, table_name="company", action=action)
    )


@pytest.mark.django_db
def test_create_makes_three_empty_slots_and_history_names_the_actor():
    """A created company has its CEO, CFO and HR slots; its insert row names the user."""
    company = services.company_create(actor="alice", data={**NEW, "company_unique_id": "x"})
    roles = CompanySlot.objects.filter(company=company).values_list("role_code", "contact_id")
    assert sorted(roles) == [("CEO", None), ("CFO", None), ("HR", None)]
    (row,) = _company_history(company, "insert")
    assert row.changed_by == "alice"
    assert company.domain == "northwind.example.com"
    assert company.company_unique_id != "x"
    assert company.next_renewal_date.month == 7


@pytest.mark.django_db
def test_update_writes_only_changed_fields_and_names_the_actor():
    """An edit writes the changed fields; the history row names the user and those fields."""
    company = b.company("Old Name", industry="Retail")
    saved = services.company_update(
        actor="bob",
        company_id=company.pk,
        expected_updated_at=company.updated_at,
        data={"company_name": "New Name", "industry": "Retail"},
    )
    assert saved.changed_fields == ["company_name"]
    company.refresh_from_db()
    assert company.company_name == "New Name"
    (row,) = _company_history(company, "update")
    assert row.changed_by == "bob"
    assert set(row.new_values) >= {"company_name"}
    assert "industry" not in row.new_values


@pytest.mark.django_db
def test_update_with_nothing_changed_writes_nothing():
    company = b.company("Same")
    before = company.updated_at
    company = services.company_update(
        actor="bob",
        company_id=company.pk,
        expected_updated_at=before,
        data={"company_name": "Same"},
    )
    assert company.changed_fields == []
    company.refresh_from_db()
    assert company.updated_at == before
    assert _company_history(company, "update") == []


@pytest.mark.django_db
def test_stale_update_is_a_conflict_and_changes_nothing():
    """A form loaded before someone else's save is refused naming who; nothing is written."""
    company = b.company("Acme")
    seen = company.updated_at
    services.company_update(
        actor="carol", company_id=company.pk, expected_updated_at=seen, data={"city": "Akron"}
    )
    with pytest.raises(CompanyConflict, match="changed by carol"):
        services.company_update(
            actor="dave", company_id=company.pk, expected_updated_at=seen, data={"city": "Dayton"}
        )
    company.refresh_from_db()
    assert company.city == "Akron"
    assert [h.changed_by for h in _company_history(company, "update")] == ["carol"]


@pytest.mark.django_db
def test_unknown_renewal_month_edited_to_a_month_gets_its_renewal_dates():
    """The trigger computes next_renewal_date and the campaign window once a month is set."""
    company = b.company("Unknown Month Co", renewal_month=None)
    assert company.next_renewal_date is None
    company = services.company_update(
        actor="alice",
        company_id=company.pk,
        expected_updated_at=company.updated_at,
        data={"renewal_month": 3},
    )
    today = timezone.localdate()
    assert company.next_renewal_date.month == 3 and company.next_renewal_date.day == 1
    assert company.next_renewal_date >= today.replace(day=1)
    assert company.campaign_window_start == company.next_renewal_date - datetime.timedelta(120)


@pytest.mark.django_db
def test_archive_is_a_status_change():
    company = b.company("To Archive")
    services.company_update(
        actor="alice",
        company_id=company.pk,
        expected_updated_at=company.updated_at,
        data={"status": "archived"},
    )
    assert Company.objects.get(pk=company.pk).status == "archived"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"renewal_month": 13}, "renewal_month"),
        ({"company_name": "   "}, "company_name"),
        ({"renewal_notice_window_days": 400}, "renewal_notice_window_days"),
    ],
)
def test_database_refusals_become_company_errors(data, field):
    """Past the form, the CHECKs still refuse; the service names the field, nothing changes."""
    company = b.company("Checked Co")
    with pytest.raises(CompanyError) as caught:
        services.company_update(
            actor="alice",
            company_id=company.pk,
            expected_updated_at=company.updated_at,
            data=data,
        )
    assert caught.value.field == field
    assert Company.objects.get(pk=company.pk).company_name == "Checked Co"


@pytest.mark.django_db
def test_duplicate_domain_is_a_website_error():
    b.company("First", website_url="https://dup.example.com")
    with pytest.raises(CompanyError) as caught:
        services.company_create(
            actor="alice", data={**NEW, "website_url": "https://www.dup.example.com/about"}
        )
    assert caught.value.field == "website_url"


# --- pages ------------------------------------------------------------------------------------

FORM = {
    "company_name": "Bluebird Dental",
    "website_url": "https://bluebird.example.com",
    "industry": "Dental",
    "renewal_month": "9",
    "renewal_notice_window_days": "120",
    "status": "active",
    "city": "Toledo",
    "state_region": "OH",
    "country": "US",
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


def _edit_data(company, **changes):
    return {
        **FORM,
        "company_name": company.company_name,
        "website_url": company.website_url,
        "expected_updated_at": company.updated_at.isoformat(),
        **changes,
    }


@pytest.mark.django_db
def test_coordinator_creates_a_company(client, coordinator):
    """GET shows the form (autofocus, month select with Unknown); POST creates and redirects."""
    page = client.get("/companies/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "autofocus" in html and ">Unknown</option>" in html and ">September</option>" in html
    response = client.post("/companies/new/", FORM)
    company = Company.objects.get(company_name="Bluebird Dental")
    assert response.status_code == 302 and response.url == f"/companies/{company.pk}/"
    assert CompanySlot.objects.filter(company=company).count() == 3
    (row,) = _company_history(company, "insert")
    assert row.changed_by == coordinator.username
    assert "created" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_coordinator_sets_the_renewal_month_of_an_unknown_month_company(client, coordinator):
    company = b.company("Promoted Co", renewal_month=None)
    page = client.get(f"/companies/{company.pk}/edit/")
    assert page.status_code == 200 and "Promoted Co" in page.content.decode()
    response = client.post(f"/companies/{company.pk}/edit/", _edit_data(company))
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.renewal_month == 9 and company.next_renewal_date.month == 9
    (row,) = _company_history(company, "update")
    assert row.changed_by == coordinator.username
    assert company.address_line1 is None  # a blank field stays NULL, not ''


@pytest.mark.django_db
def test_stale_edit_shows_the_conflict_and_keeps_the_input(client, coordinator):
    company = b.company("Raced Co")
    data = _edit_data(company, city="Lima")
    services.company_update(
        actor="other",
        company_id=company.pk,
        expected_updated_at=company.updated_at,
        data={"city": "Kent"},
    )
    response = client.post(f"/companies/{company.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed by other" in html and 'value="Lima"' in html
    assert Company.objects.get(pk=company.pk).city == "Kent"


@pytest.mark.django_db
def test_viewer_gets_403_and_no_buttons(client, viewer):
    company = b.company("Viewed Co")
    assert client.get("/companies/new/").status_code == 403
    assert client.get(f"/companies/{company.pk}/edit/").status_code == 403
    assert client.post("/companies/new/", FORM).status_code == 403
    assert client.post(f"/companies/{company.pk}/edit/", _edit_data(company)).status_code == 403
    assert not Company.objects.filter(company_name="Bluebird Dental").exists()
    assert client.get("/companies/999999999/edit/").status_code == 403  # not 404
    assert "/edit/" not in client.get(f"/companies/{company.pk}/").content.decode()
    assert "/companies/new/" not in client.get("/companies/").content.decode()


@pytest.mark.django_db
def test_coordinator_sees_the_buttons(client, coordinator):
    company = b.company("Buttoned Co")
    assert (
        f"/companies/{company.pk}/edit/" in client.get(f"/companies/{company.pk}/").content.decode()
    )
    assert "/companies/new/" in client.get("/companies/").content.decode()
    assert client.get("/companies/999999999/edit/").status_code == 404


BAD = [
    ("company_name", "x" * 301),
    ("company_name", "   "),
    ("company_name", "nul\x00name"),
    ("website_url", "not a url"),
    ("website_url", "javascript:alert(1)"),
    ("website_url", "https://exa mple.com"),
    ("website_url", "https://example.com/\x00"),
    ("renewal_month", "13"),
    ("renewal_month", "0"),
    ("renewal_month", "abc"),
    ("renewal_notice_window_days", "366"),
    ("renewal_notice_window_days", "-1"),
    ("renewal_notice_window_days", "9" * 30),
    ("status", "deleted"),
    ("city", "c" * 5000),
    ("country", "U\x00S"),
    ("expected_updated_at", "yesterday"),
    ("expected_updated_at", ""),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), BAD, ids=[f"{f}={v[:12]!r}" for f, v in BAD])
def test_bad_input_is_a_form_error_and_changes_nothing(client, coordinator, field, value):
    """Each bad value re-renders the form (200) with an error beside the field; no row changes."""
    company = b.company("Stable Co", renewal_month=None)
    before = Company.objects.filter(pk=company.pk).values().get()
    edit = client.post(f"/companies/{company.pk}/edit/", _edit_data(company, **{field: value}))
    assert edit.status_code == 200
    assert edit.context["form"].errors
    assert Company.objects.filter(pk=company.pk).values().get() == before
    assert _company_history(company, "update") == []
    if field != "expected_updated_at":
        count = Company.objects.count()
        new = client.post("/companies/new/", {**FORM, field: value})
        assert new.status_code == 200 and field in new.context["form"].errors
        assert Company.objects.count() == count


@pytest.mark.django_db
def test_duplicate_website_is_a_field_error(client, coordinator):
    b.company("Owner", website_url="https://taken.example.com")
    response = client.post("/companies/new/", {**FORM, "website_url": "https://taken.example.com"})
    assert response.status_code == 200
    assert "website_url" in response.context["form"].errors


@pytest.mark.django_db
def test_edit_page_costs_a_bounded_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    company = b.company("Counted Co")
    client.get(f"/companies/{company.pk}/edit/")  # warm the session and content types
    with django_assert_max_num_queries(10):
        assert client.get(f"/companies/{company.pk}/edit/").status_code == 200
    with django_assert_max_num_queries(30):  # 4 CHECKs validated by the ModelForm
        assert client.post(f"/companies/{company.pk}/edit/", _edit_data(company)).status_code == 302
