"""Link a duplicate pair as a job change: the former record leaves its company (its slots go
stale and into the queue), the pair is resolved 'job_change' by the user, nothing is merged."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from companies import selectors as company_selectors
from companies.services import slot_assign
from people import selectors as people_selectors
from people import services
from people.models import Contact, MergeLog, PersonHistory, PersonIntelligence, ResolutionQueue
from people.services import PairStateError
from tests import builders as b

pytestmark = pytest.mark.django_db


def _pair(a, c, status="pending"):
    return ResolutionQueue.objects.create(
        contact_primary=a,
        contact_duplicate=c,
        conflict_type="linkedin",
        score="0.900",
        recommendation="likely_job_change",
        evidence={"linkedin": {"result": "equal"}},
        resolution_status=status,
    )


@pytest.fixture
def moved():
    """Jo Park, CFO at Old Co (older record, in its CFO slot), now at New Co (newer record)."""
    old_co, new_co = b.company("Old Co"), b.company("New Co")
    former = b.contact("Jo Park", company=old_co, linkedin_url="https://linkedin.com/in/jopark")
    slot = b.slot(old_co, "CFO")
    slot_assign(slot_id=slot.pk, contact_id=former.pk, actor="setup")
    current = b.contact("Jo Park", company=new_co, email="jo@newco.example")
    Contact.objects.filter(pk=former.pk).update(
        created_at=current.created_at - datetime.timedelta(days=400)
    )
    former.refresh_from_db()
    return former, current, slot, _pair(former, current)


def test_link_marks_the_former_record_left_and_resolves_the_pair(moved):
    """The former record becomes inactive (history names the user), its slot is stale and
    queued, the current record gets a job_change row, the pair is 'job_change'; no merge."""
    former, current, slot, pair = moved
    done = services.pair_link_job_change(
        resolution_id=pair.pk, actor="alice", current_id=current.pk
    )
    assert done.stale_slots == [(slot.pk, "CFO", "Old Co")]
    pair.refresh_from_db()
    assert (pair.resolution_status, pair.resolved_by) == ("job_change", "alice")
    assert pair.resolved_at is not None
    former.refresh_from_db()
    current.refresh_from_db()
    assert (former.status, current.status) == ("inactive", "active")
    assert former.company.company_name == "Old Co"  # both records keep their employer
    (row,) = PersonHistory.objects.filter(contact_id=former.pk, action="update")
    assert row.changed_by == "alice" and "status" in row.new_values
    (change,) = PersonIntelligence.objects.filter(contact=current, intelligence_type="job_change")
    assert (change.previous_value, change.new_value) == ("Old Co", "New Co")
    assert change.payload["resolution_id"] == pair.pk
    assert slot.pk in set(company_selectors.slot_queue().values_list("pk", flat=True))
    assert not MergeLog.objects.exists()
    assert people_selectors.next_pending_id(None) != pair.pk


def test_default_current_is_the_newer_record(moved):
    former, current, _slot, _pair = moved
    assert services.job_change_current(former, current) == current
    assert services.job_change_current(current, former) == current


@pytest.mark.parametrize("status", ["merged", "not_duplicate", "job_change"])
def test_closed_pairs_are_refused(moved, status):
    former, current, _slot, pair = moved
    ResolutionQueue.objects.filter(pk=pair.pk).update(resolution_status=status)
    with pytest.raises(PairStateError, match="already"):
        services.pair_link_job_change(resolution_id=pair.pk, actor="a", current_id=current.pk)
    assert Contact.objects.get(pk=former.pk).status == "active"


def test_same_company_or_a_stranger_is_refused():
    """Two records at one company are a duplicate, not a job change; current_id must be one
    of the two."""
    co = b.company("One Co")
    a, c = b.contact("Sam One", company=co), b.contact("Sam One", company=co)
    pair = _pair(a, c)
    with pytest.raises(PairStateError, match="two different companies"):
        services.pair_link_job_change(resolution_id=pair.pk, actor="a", current_id=c.pk)
    other = b.contact("Stranger")
    with pytest.raises(PairStateError, match="current job"):
        services.pair_link_job_change(resolution_id=pair.pk, actor="a", current_id=other.pk)
    assert ResolutionQueue.objects.get(pk=pair.pk).resolution_status == "pending"


def test_the_database_accepts_job_change_and_still_refuses_unknown_statuses(moved):
    """The CHECK (people 0080) allows 'job_change' and nothing made up."""
    *_, pair = moved
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people.resolution_queue SET resolution_status = 'job_change' "
            "WHERE resolution_id = %s",
            [pair.pk],
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute(
                "UPDATE people.resolution_queue SET resolution_status = 'moved' "
                "WHERE resolution_id = %s",
                [pair.pk],
            )


# --- the compare page -------------------------------------------------------------------------


def test_compare_page_offers_the_link_and_the_post_resolves_the_pair(client, moved):
    former, current, slot, pair = moved
    client.force_login(b.user(group="coordinator"))
    html = client.get(f"/people/duplicates/{pair.pk}/").content.decode()
    assert "Link as job change" in html
    assert f'id="job-current-{current.pk}" value="{current.pk}" checked' in html
    response = client.post(
        f"/people/duplicates/{pair.pk}/job-change/", {"current_id": current.pk}, follow=True
    )
    text = response.content.decode()
    assert "linked as a job change" in text and "CFO at Old Co" in text
    assert ResolutionQueue.objects.get(pk=pair.pk).resolution_status == "job_change"
    assert Contact.objects.get(pk=former.pk).status == "inactive"
    queue = client.get("/people/duplicates/").content.decode()
    assert f"/people/duplicates/{pair.pk}/" not in queue


def test_no_link_for_two_records_at_one_company(client):
    co = b.company("Same Co")
    pair = _pair(b.contact("Al Bee", company=co), b.contact("Al Bee", company=co))
    client.force_login(b.user(group="coordinator"))
    assert "Link as job change" not in client.get(f"/people/duplicates/{pair.pk}/").content.decode()


def test_bad_or_refused_posts_change_nothing(client, moved):
    """Junk current_id is a message, a refusal is a message, a viewer gets 403."""
    former, current, _slot, pair = moved
    client.force_login(b.user(group="coordinator"))
    for data in ({}, {"current_id": "abc"}, {"current_id": "9" * 30}, {"current_id": "1"}):
        response = client.post(f"/people/duplicates/{pair.pk}/job-change/", data)
        assert response.status_code == 302 and response.url == f"/people/duplicates/{pair.pk}/"
    assert ResolutionQueue.objects.get(pk=pair.pk).resolution_status == "pending"
    client.force_login(b.user(group="viewer"))
    response = client.post(f"/people/duplicates/{pair.pk}/job-change/", {"current_id": current.pk})
    assert response.status_code == 403
    assert "Link as job change" not in client.get(f"/people/duplicates/{pair.pk}/").content.decode()
    assert Contact.objects.get(pk=former.pk).status == "active"
