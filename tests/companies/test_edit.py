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
    services.company_update(
        actor="bob",
        company_id=company.pk,
        expected_updated_at=company.updated_at,
        data={"company_name": "New Name", "industry": "Retail"},
    )
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
    services.company_update(
        actor="bob",
        company_id=company.pk,
        expected_updated_at=before,
        data={"company_name": "Same"},
    )
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
