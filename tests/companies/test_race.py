"""Two coordinators assigning the same empty slot at the same moment.

The race harness is real: the rows are committed, then two threads, each with its own
PostgreSQL connection (Django keeps one connection per thread), open their own transactions as
the app role and call ``slot_assign`` with the same ``expected_contact_id=None`` behind a
``threading.Barrier``, so both read the slot as empty before either writes. The row lock makes
the second wait for the first to commit; it then sees the new person and must raise
``SlotConflict`` instead of silently overwriting.

pytest-django's ``transaction=True`` cannot flush this schema layout (auth_user is referenced
from other schemas), so — like tests/marketing/test_handoff_concurrency.py — the test commits
through its own connections and deletes what it made.
"""

import threading

import pytest
from django.db import connection, transaction

from companies import services
from companies.models import Company, CompanyHistory, CompanySlot
from outreach_admin.db import acting_as
from people.models import Contact, PersonHistory
from tests import builders as b


@pytest.fixture
def committed_slot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with acting_as("setup"):
            c = b.company(name="Race Co")
            first = b.contact("First Person", company=c, title="CFO")
            second = b.contact("Second Person", company=c, title="CFO")
            slot = b.slot(c, "CFO")
        try:
            yield slot, first, second
        finally:
            with transaction.atomic():
                CompanySlot.objects.filter(company=c).update(contact=None)
                Contact.objects.filter(pk__in=[first.pk, second.pk]).delete()
                Company.objects.filter(pk=c.pk).delete()
                PersonHistory.objects.filter(contact_id__in=[first.pk, second.pk]).delete()
                CompanyHistory.objects.filter(company_id=c.pk).delete()
            connection.close()


def test_two_transactions_assigning_same_slot_exactly_one_wins(committed_slot, django_db_blocker):
    """Exactly one of two concurrent assigns succeeds; the other gets SlotConflict."""
    slot, first, second = committed_slot
    barrier = threading.Barrier(2, timeout=10)
    results: dict[str, object] = {}

    def attempt(actor: str, contact_id: int) -> None:
        with django_db_blocker.unblock():
            try:
                with acting_as(actor):
                    # Both transactions have started before either locks the slot.
                    connection.ensure_connection()
                    barrier.wait()
                    services.slot_assign(
                        slot_id=slot.pk,
                        contact_id=contact_id,
                        actor=actor,
                        expected_contact_id=None,
                    )
                results[actor] = contact_id
            except services.SlotConflict as exc:
                results[actor] = exc
            finally:
                connection.close()

    threads = [
        threading.Thread(target=attempt, args=("alice", first.pk)),
        threading.Thread(target=attempt, args=("bob", second.pk)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    wins = {k: v for k, v in results.items() if isinstance(v, int)}
    losses = [v for v in results.values() if isinstance(v, services.SlotConflict)]
    assert len(wins) == 1 and len(losses) == 1, results
    ((winner, winner_contact),) = wins.items()
    assert f"by {winner}" in str(losses[0])
    with django_db_blocker.unblock():
        assert CompanySlot.objects.get(pk=slot.pk).contact_id == winner_contact
