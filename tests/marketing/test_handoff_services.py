import pytest

from marketing.models import CampaignContact, PipelineEvent
from marketing.services.handoffs import (
    HandoffConflict,
    HandoffError,
    handoff_accept,
    handoff_close,
    handoff_reassign,
    handoff_reject,
)
from tests import builders
from tests.marketing.handoff_fixtures import (
    fast_password_hasher,  # noqa: F401 (autouse fixture)
    pending_handoff,
)

pytestmark = pytest.mark.django_db


ACTIONS = {
    "accept": lambda pk: handoff_accept(handoff_id=pk, actor="rev", note="ok"),
    "reject": lambda pk: handoff_reject(
        handoff_id=pk, reason_code="bad_timing", note="renewal moved", actor="rev"
    ),
    "close": lambda pk: handoff_close(handoff_id=pk, actor="rev", note="done"),
}

# (status before, action) → status after, or None when refused.
TRANSITION_TABLE = [
    ("pending", "accept", "accepted"),
    ("pending", "reject", "rejected"),
    ("pending", "close", "closed"),
    ("accepted", "accept", None),
    ("accepted", "reject", None),
    ("accepted", "close", "closed"),
    ("rejected", "accept", None),
    ("rejected", "reject", None),
    ("rejected", "close", "closed"),
    ("closed", "accept", None),
    ("closed", "reject", None),
    ("closed", "close", None),
]


def handoff_in(status):
    handoff = pending_handoff()
    if status == "accepted":
        handoff_accept(handoff_id=handoff.pk, actor="first")
    elif status == "rejected":
        handoff_reject(handoff_id=handoff.pk, reason_code="other", note="n", actor="first")
    elif status == "closed":
        handoff_close(handoff_id=handoff.pk, actor="first", note="gone")
    handoff.refresh_from_db()
    assert handoff.status == status
    return handoff


@pytest.mark.parametrize(("before", "action", "after"), TRANSITION_TABLE)
def test_status_transition_table(before, action, after):
    """Only pending→accepted/rejected/closed and accepted/rejected→closed are allowed."""
    handoff = handoff_in(before)
    events_before = PipelineEvent.objects.count()
    if after is None:
        with pytest.raises(HandoffConflict, match=f"already {before} by first"):
            ACTIONS[action](handoff.pk)
        handoff.refresh_from_db()
        assert handoff.status == before
        assert PipelineEvent.objects.count() == events_before
    else:
        ACTIONS[action](handoff.pk)
        handoff.refresh_from_db()
        assert handoff.status == after
        assert handoff.reviewed_by == "rev"
        assert handoff.reviewed_at is not None
        event = PipelineEvent.objects.latest("event_id")
        assert event.event_type == f"handoff_{after}"
        assert event.entity_type == "company" and event.entity_id == str(handoff.company_id)
        assert event.event_data["actor"] == "rev"
        assert event.event_data["handoff_id"] == handoff.pk
        assert event.event_data["from_status"] == before


def test_accept_records_who_when_and_note():
    """Accepting stores the reviewer, the time and the note."""
    handoff = pending_handoff()
    handoff_accept(handoff_id=handoff.pk, actor="alice", note="  Good fit  ")
    handoff.refresh_from_db()
    assert (handoff.status, handoff.reviewed_by, handoff.review_notes) == (
        "accepted",
        "alice",
        "Good fit",
    )


@pytest.mark.parametrize(
    ("reason", "note", "message"),
    [
        ("", "some note", "Choose a reject reason"),
        ("rude", "some note", "Choose a reject reason"),
        ("no_show", "", "A note is required"),
        ("no_show", "   ", "A note is required"),
    ],
)
def test_reject_needs_reason_and_note(reason, note, message):
    """Rejecting without a listed reason code or without a note is refused; nothing changes."""
    handoff = pending_handoff()
    with pytest.raises(HandoffError, match=message):
        handoff_reject(handoff_id=handoff.pk, reason_code=reason, note=note, actor="rev")
    handoff.refresh_from_db()
    assert handoff.status == "pending" and handoff.reviewed_by is None


def test_reject_returns_company_to_outreach():
    """A rejected handoff keeps its reason and the booked member goes back to 'replied'."""
    handoff = pending_handoff(campaign=True)
    member = CampaignContact.objects.get(contact_id=handoff.contact_id)
    assert member.status == "booked"
    handoff_reject(handoff_id=handoff.pk, reason_code="wrong_contact", note="Left", actor="rev")
    handoff.refresh_from_db()
    member.refresh_from_db()
    assert (handoff.status, handoff.reject_reason, handoff.review_notes) == (
        "rejected",
        "wrong_contact",
        "Left",
    )
    assert member.status == "replied"
    event = PipelineEvent.objects.get(event_type="handoff_rejected")
    assert event.event_data["reject_reason"] == "wrong_contact"


def test_close_from_pending_needs_a_note():
    """Closing without a decision needs a note; after a decision it does not."""
    handoff = pending_handoff()
    with pytest.raises(HandoffError, match="note is required"):
        handoff_close(handoff_id=handoff.pk, actor="rev")
    handoff_accept(handoff_id=handoff.pk, actor="rev")
    handoff_close(handoff_id=handoff.pk, actor="rev")
    handoff.refresh_from_db()
    assert handoff.status == "closed" and handoff.review_notes is None


def test_stale_expected_status_is_a_conflict():
    """Acting on a page that showed an older status fails and names who acted."""
    handoff = pending_handoff()
    handoff_accept(handoff_id=handoff.pk, actor="alice")
    with pytest.raises(HandoffConflict, match="was accepted by alice at"):
        handoff_close(handoff_id=handoff.pk, actor="bob", expected_status="pending")
    handoff.refresh_from_db()
    assert handoff.status == "accepted" and handoff.reviewed_by == "alice"


@pytest.mark.parametrize("bad_id", [999999999, "abc", None])
def test_unknown_handoff_is_refused(bad_id):
    """Unknown or non-numeric handoff IDs give a clear error."""
    with pytest.raises(HandoffError, match="(?i)handoff"):
        handoff_accept(handoff_id=bad_id, actor="rev")


def test_reassign_to_coordinator():
    """Reassigning sets the assignee and records the move; the status is unchanged."""
    handoff = pending_handoff()
    bob = builders.user("bob")
    handoff_reassign(handoff_id=handoff.pk, user_id=bob.pk, actor="alice")
    handoff.refresh_from_db()
    assert handoff.assigned_to == bob and handoff.status == "pending"
    event = PipelineEvent.objects.get(event_type="handoff_reassigned")
    assert event.event_data["to_user"] == "bob" and event.event_data["actor"] == "alice"


@pytest.mark.parametrize("target", ["viewer", "missing", "text", "inactive"])
def test_reassign_refuses_non_coordinators(target):
    """Only active coordinators or admins can receive a handoff."""
    handoff = pending_handoff()
    user_id = {
        "viewer": lambda: builders.user(group="viewer").pk,
        "missing": lambda: 999999,
        "text": lambda: "x",
        "inactive": lambda: builders.user(is_active=False).pk,
    }[target]()
    with pytest.raises(HandoffError, match="Choose an active coordinator"):
        handoff_reassign(handoff_id=handoff.pk, user_id=user_id, actor="alice")
    handoff.refresh_from_db()
    assert handoff.assigned_to is None


@pytest.mark.parametrize("status", ["rejected", "closed"])
def test_reassign_refused_after_rejection_or_close(status):
    """Rejected or closed handoffs cannot be reassigned."""
    handoff = handoff_in(status)
    with pytest.raises(HandoffConflict, match="only pending or accepted"):
        handoff_reassign(handoff_id=handoff.pk, user_id=builders.user().pk, actor="alice")


def test_accept_assigns_an_unassigned_handoff_to_the_accepter():
    """Accepting an unassigned handoff makes the accepting user its assignee; the event names
    the actor and the new assignee."""
    handoff = pending_handoff()
    alice = builders.user("alice")
    handoff_accept(handoff_id=handoff.pk, actor="alice", user_id=alice.pk)
    handoff.refresh_from_db()
    assert handoff.status == "accepted" and handoff.assigned_to == alice
    assert handoff.reviewed_by == "alice"
    event = PipelineEvent.objects.get(event_type="handoff_accepted")
    assert event.event_data["actor"] == "alice"
    assert event.event_data["to_user_id"] == alice.pk and event.event_data["to_user"] == "alice"


def test_accept_keeps_a_handoff_already_assigned_to_the_accepter():
    """A handoff assigned to the accepter stays theirs; no assignment is recorded again."""
    handoff = pending_handoff()
    alice = builders.user("alice")
    handoff_reassign(handoff_id=handoff.pk, user_id=alice.pk, actor="lead")
    handoff_accept(handoff_id=handoff.pk, actor="alice", user_id=alice.pk)
    handoff.refresh_from_db()
    assert handoff.status == "accepted" and handoff.assigned_to == alice
    assert "to_user_id" not in PipelineEvent.objects.get(event_type="handoff_accepted").event_data


def test_accept_refuses_a_handoff_assigned_to_someone_else():
    """Someone else's handoff is not taken by accepting: refused, naming the assignee."""
    handoff = pending_handoff()
    alice = builders.user("alice", first_name="Alice", last_name="Adams")
    bob = builders.user("bob")
    handoff_reassign(handoff_id=handoff.pk, user_id=alice.pk, actor="lead")
    with pytest.raises(HandoffConflict, match="assigned to Alice Adams; nothing was accepted"):
        handoff_accept(handoff_id=handoff.pk, actor="bob", user_id=bob.pk)
    handoff.refresh_from_db()
    assert handoff.status == "pending" and handoff.assigned_to == alice
    assert not PipelineEvent.objects.filter(event_type="handoff_accepted").exists()


@pytest.mark.parametrize("who", ["viewer", "inactive", "missing"])
def test_accept_refuses_a_user_who_cannot_act(who):
    """Only an active coordinator or admin can take a handoff on by accepting it."""
    handoff = pending_handoff()
    user_id = {
        "viewer": lambda: builders.user("vic", group="viewer").pk,
        "inactive": lambda: builders.user("gone", is_active=False).pk,
        "missing": lambda: 999999,
    }[who]()
    with pytest.raises(HandoffError, match="active coordinator or admin"):
        handoff_accept(handoff_id=handoff.pk, actor=who, user_id=user_id)
    handoff.refresh_from_db()
    assert handoff.status == "pending" and handoff.assigned_to is None
