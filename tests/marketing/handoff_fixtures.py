"""Setup shared by the handoff, booking and message tests (through the real services)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketing.models import Campaign, CampaignContact
from marketing.services.handoffs import booking_record
from tests import builders


def campaign_with_member(person, *, status="pending", name="Spring renewals"):
    """An active campaign with ``person`` as a member in ``status``."""
    campaign = Campaign.objects.create(name=name, type="renewal")
    CampaignContact.objects.create(
        campaign=campaign, contact=person, company_id=person.company_id, status=status
    )
    campaign.status = "active"
    campaign.save(update_fields=["status"])
    return campaign


def pending_handoff(*, campaign=False, actor="booker", company_name=None, person_name=None):
    """A pending handoff made by recording a booking for a new person at a new company."""
    company = builders.company(company_name, renewal_month=3)
    person = builders.contact(person_name, company=company, email_status="green")
    campaign_obj = campaign_with_member(person, status="replied") if campaign else None
    return booking_record(
        contact_id=person.pk,
        event_time=timezone.now() + timedelta(days=2),
        source="calendar",
        campaign_id=campaign_obj.pk if campaign_obj else None,
        actor=actor,
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users made here never sign in with their password: skip the slow production hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
