"""Two coordinators building a campaign from the same selection at the same moment.

Real transactions on two connections (one per thread) behind a barrier, as in
tests/companies/test_race.py: campaign_create locks the selected companies, so the second build
waits for the first to commit, then its pre-flight sees the new members and it adds nobody.
The test commits through its own connections and deletes what it made.
"""

import threading

import pytest
from django.db import connection, transaction

from companies.models import Company, CompanyHistory
from marketing.models import Campaign, CampaignContact
from marketing.services import campaigns as services
from marketing.services.campaigns import CampaignError
from outreach_admin.db import acting_as
from people.models import Contact, PersonHistory
from tests.marketing.test_campaign_rules import renewal_company, seat


@pytest.fixture
def committed_selection(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with acting_as("setup"):
            companies = [renewal_company(name=f"Race Renewal {i}") for i in range(2)]
            people = [seat(co, role) for co in companies for role in ("CEO", "HR")]
        try:
            yield [co.pk for co in companies]
        finally:
            ids = [co.pk for co in companies]
            with transaction.atomic():
                Campaign.objects.filter(members__company_id__in=ids).delete()
                Campaign.objects.filter(name="Race").delete()
                Company.objects.filter(pk__in=ids).delete()
                Contact.objects.filter(pk__in=[p.pk for p in people]).delete()
                PersonHistory.objects.filter(contact_id__in=[p.pk for p in people]).delete()
                CompanyHistory.objects.filter(company_id__in=ids).delete()
            connection.close()


def test_two_concurrent_builds_add_each_person_once(committed_selection, django_db_blocker):
    """Exactly one of two simultaneous builds creates the campaign; nobody is added twice."""
    barrier = threading.Barrier(2, timeout=10)
    results: dict[str, object] = {}

    def attempt(actor: str) -> None:
        with django_db_blocker.unblock():
            try:
                with acting_as(actor):
                    connection.ensure_connection()
                    barrier.wait()
                    results[actor] = services.campaign_create(
                        name="Race",
                        type="renewal",
                        target_roles=["CEO", "HR"],
                        company_ids=committed_selection,
                        actor=actor,
                    )
            except CampaignError as exc:
                results[actor] = exc
            finally:
                connection.close()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    outcomes = sorted(type(v).__name__ for v in results.values())
    assert outcomes == ["Campaign", "CampaignError"], results
    with django_db_blocker.unblock():
        assert CampaignContact.objects.filter(company_id__in=committed_selection).count() == 4
        assert Campaign.objects.filter(name="Race").count() == 1
