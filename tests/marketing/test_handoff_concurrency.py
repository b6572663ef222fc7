import threading

import pytest
from django.db import connection, transaction

from companies.models import Company, CompanyHistory
from marketing.models import AcHandoff, BookingEvent, PipelineEvent
from marketing.services.handoffs import HandoffConflict, handoff_accept, handoff_reject
from outreach_admin.db import acting_as
from people.models import Contact, PersonHistory
from tests.marketing.handoff_fixtures import pending_handoff


def _committed_pending_handoff():
    with acting_as("booker"):
        return pending_handoff()


def _delete_committed(handoff):
    """Remove what the concurrency test committed (as the owner; no flush, see below)."""
    with transaction.atomic():
        PipelineEvent.objects.filter(entity_id=str(handoff.company_id)).delete()
        AcHandoff.objects.filter(pk=handoff.pk).delete()
        BookingEvent.objects.filter(pk=handoff.booking_event_id).delete()
        Contact.objects.filter(pk=handoff.contact_id).delete()
        Company.objects.filter(pk=handoff.company_id).delete()
        PersonHistory.objects.filter(contact_id=handoff.contact_id).delete()
        CompanyHistory.objects.filter(company_id=handoff.company_id).delete()


# Real concurrency needs committed rows and two connections. pytest-django's transactional_db
# cannot flush this schema layout (auth_user is referenced from other schemas), so the test
# commits through its own connections and deletes what it made.
@pytest.fixture
def committed_handoff(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        handoff = _committed_pending_handoff()
        try:
            yield handoff
        finally:
            _delete_committed(handoff)
            connection.close()


def test_concurrent_accept_and_reject_only_one_wins(committed_handoff, django_db_blocker):
    """Accept and reject at the same moment: one succeeds, the other gets HandoffConflict."""
    handoff = committed_handoff
    barrier = threading.Barrier(2)
    outcomes = {}

    def review(name, action):
        with django_db_blocker.unblock():
            try:
                barrier.wait(timeout=10)
                with acting_as(name):
                    action(name)
                outcomes[name] = "ok"
            except HandoffConflict as exc:
                outcomes[name] = exc
            finally:
                connection.close()

    threads = [
        threading.Thread(
            target=review,
            args=("alice", lambda who: handoff_accept(handoff_id=handoff.pk, actor=who)),
        ),
        threading.Thread(
            target=review,
            args=(
                "bob",
                lambda who: handoff_reject(
                    handoff_id=handoff.pk, reason_code="other", note="no", actor=who
                ),
            ),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(v == "ok" for v in outcomes.values()) == [False, True], outcomes
    winner = next(k for k, v in outcomes.items() if v == "ok")
    loser_error = next(v for v in outcomes.values() if v != "ok")
    assert f"by {winner} at" in str(loser_error)
    handoff = AcHandoff.objects.get(pk=handoff.pk)
    assert handoff.reviewed_by == winner
    assert handoff.status == ("accepted" if winner == "alice" else "rejected")
    events = PipelineEvent.objects.filter(
        entity_id=str(handoff.company_id), event_type__startswith="handoff_"
    )
    assert [e.event_data["actor"] for e in events] == [winner]
