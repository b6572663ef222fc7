"""intake.f_promote_company_intake through intake.services.company_intake_promote."""

import pytest

from companies.models import Company, CompanySlot
from intake.models import CompanyRawIntake
from intake.services import company_intake_promote
from marketing.models import PipelineEvent
from tests import builders
from tests.intake.helpers import set_role


def stage(**fields) -> int:
    """Stage one raw company row as the owner (the app role has no INSERT on the staging table)."""
    set_role(None)
    row = CompanyRawIntake.objects.create(**fields)
    set_role("outreach_app")
    return row.intake_id


@pytest.mark.owner
def test_valid_rows_become_companies_with_three_slots(app_role):
    """A valid row creates its company (with CEO, CFO and HR slots) and names its Barton ID."""
    intake_id = stage(
        company_name=" Umbrella Corp ", website="https://www.umbrella.example/", renewal_month=3
    )
    result = company_intake_promote(intake_ids=[intake_id])

    assert (result.promoted_count, result.rejected_count) == (1, 0)
    company = Company.objects.get(domain="umbrella.example")
    assert (company.company_name, company.renewal_month) == ("Umbrella Corp", 3)
    roles = sorted(CompanySlot.objects.filter(company=company).values_list("role_code", flat=True))
    assert roles == ["CEO", "CFO", "HR"]
    row = CompanyRawIntake.objects.get(intake_id=intake_id)
    assert (row.validation_status, row.promoted_to_unique_id) == (
        "promoted",
        company.company_unique_id,
    )
    assert PipelineEvent.objects.filter(
        event_type="company_created", entity_id=company.company_unique_id
    ).exists()


@pytest.mark.owner
def test_invalid_rows_are_rejected_with_errors(app_role):
    """A blank name or a renewal month outside 1..12 rejects the row with validation_errors."""
    blank = stage(company_name="  ", renewal_month=4)
    bad_month = stage(company_name="Month Co", renewal_month=13)
    companies_before = Company.objects.count()

    result = company_intake_promote(intake_ids=[blank, bad_month])

    assert (result.promoted_count, result.rejected_count) == (0, 2)
    assert Company.objects.count() == companies_before
    rows = {
        r.intake_id: r for r in CompanyRawIntake.objects.filter(intake_id__in=[blank, bad_month])
    }
    assert rows[blank].validation_status == "rejected"
    assert rows[blank].validation_errors == ["company_name is blank"]
    assert rows[bad_month].validation_errors == ["renewal_month 13 is not between 1 and 12"]


@pytest.mark.owner
def test_existing_company_is_matched_by_domain_not_duplicated(app_role):
    """A row whose website host is already a company links to it instead of creating another."""
    existing = builders.company("Stark", website_url="https://stark.example")
    first = stage(company_name="Stark Industries", website="stark.example")
    second = stage(company_name="Wayne", website="https://wayne.example")
    third = stage(company_name="Wayne Enterprises", website="http://www.wayne.example/about")

    result = company_intake_promote(intake_ids=None)

    assert (result.promoted_count, result.rejected_count) == (3, 0)
    assert "companies_created=1 matched_existing=1" in result.message
    assert Company.objects.filter(domain="wayne.example").count() == 1
    ids = dict(
        CompanyRawIntake.objects.filter(intake_id__in=[first, second, third]).values_list(
            "intake_id", "promoted_to_unique_id"
        )
    )
    assert ids[first] == existing.company_unique_id
    assert ids[second] == ids[third]


@pytest.mark.owner
def test_rerunning_company_promotion_changes_nothing(app_role):
    """Promoted rows are no longer pending, so a second run creates nothing."""
    stage(company_name="Once Only", website="once.example")
    company_intake_promote(intake_ids=None)
    companies = Company.objects.count()

    again = company_intake_promote(intake_ids=None)

    assert (again.promoted_count, again.rejected_count) == (0, 0)
    assert Company.objects.count() == companies
