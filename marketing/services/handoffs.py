"""The write path for handoff review, bookings and the message log (WORKFLOWS.md §4).

Every function here runs in one transaction, locks the rows it changes with
``select_for_update`` before checking them, and records who acted: the reviewed_* columns of
``marketing.ac_handoff`` and a ``marketing.pipeline_events`` row (``handoff_<action>``,
``booking_recorded``) naming the actor; the message log row itself records a message.

Handoff status moves (anything else is refused with ``HandoffConflict``)::

    pending  → accepted   accept (note optional); the accepter becomes the assignee (see
                          ``handoff_accept`` for a handoff assigned to someone else)
    pending  → rejected   reject (reason code from REJECT_REASONS and a note required)
    pending  → closed     close without a decision (booking cancelled, duplicate…): note required
    accepted → closed     close (note optional)
    rejected → closed     close (note optional)
    reassign              keeps the status; only while pending or accepted

A second reviewer acting on a stale page fails under the row lock: either the move is no longer
allowed from the current status, or the status differs from the one the reviewer saw
(``expected_status``). The message names who acted last and when.

Rejecting sends the company back to outreach: the booked campaign member (if the booking came
from a campaign) returns from ``booked`` to ``replied`` so it is worked again, and the reason is
kept on the handoff (``reject_reason``) and in its ``handoff_rejected`` event, which the
company and handoff timelines show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from marketing.models import AcHandoff, BookingEvent, Campaign, MessageLog, PipelineEvent
from outreach_admin.dates import format_datetime
from outreach_admin.permissions import can_act
from people.models import Contact

REJECT_REASONS = {
    "wrong_contact": "Wrong contact",
    "not_interested": "Not interested",
    "bad_timing": "Bad timing",
    "duplicate": "Duplicate",
    "no_show": "No show",
    "other": "Other",
}

BOOKING_SOURCES = {
    "calendar": "Calendar link",
    "email": "Email",
    "phone": "Phone",
    "linkedin": "LinkedIn",
    "manual": "Manual",
    "other": "Other",
}


# How far from now a booked meeting may be (issue 17): a typo'd year (2062, 9999) or a
# back-dated meeting from another season is refused with the reason instead of stored.
MEETING_PAST = timedelta(days=90)
MEETING_FUTURE = timedelta(days=366)


def meeting_time_problem(event_time: datetime | None) -> str | None:
    """Why ``event_time`` cannot be a booked meeting's time (a sentence for the user), or None.

    At most ``MEETING_PAST`` ago (a meeting recorded late) and ``MEETING_FUTURE`` ahead. The
    forms show it as a field error; ``member_record_outcome`` refuses with it.
    """
    if event_time is None:
        return "Give the meeting's date and time."
    now = timezone.now()
    if event_time < now - MEETING_PAST:
        return (
            f"The meeting time is more than {MEETING_PAST.days} days ago; check the date "
            "(a booking is recorded for a meeting that is coming up or just happened)."
        )
    if event_time > now + MEETING_FUTURE:
        return "The meeting time is more than a year ahead; check the year."
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    note_required_from: frozenset[str] = frozenset()


TRANSITIONS = {
    "accept": Transition("accept", frozenset({"pending"}), "accepted"),
    "reject": Transition("reject", frozenset({"pending"}), "rejected", frozenset({"pending"})),
    "close": Transition(
        "close", frozenset({"pending", "accepted", "rejected"}), "closed", frozenset({"pending"})
    ),
}
REASSIGNABLE = frozenset({"pending", "accepted"})
PAST_TENSE = {
    "accept": "accepted",
    "reject": "rejected",
    "close": "closed",
    "reassign": "reassigned",
}


class HandoffError(Exception):
    """A handoff action that breaks a rule; the message is meant for the user."""


class HandoffConflict(HandoffError):
    """The handoff is no longer in a state that allows the action (someone else acted)."""


class BookingError(Exception):
    """A booking that cannot be recorded; the message is meant for the user."""


class MessageError(Exception):
    """A message that cannot be recorded; the message is meant for the user."""


def _event(event_type: str, *, company_id: int, actor: str, **data) -> None:
    PipelineEvent.objects.create(
        event_type=event_type,
        entity_type="company",
        entity_id=str(company_id),
        event_data={"actor": actor, **data},
    )


def _lock_handoff(handoff_id) -> AcHandoff:
    try:
        pk = int(handoff_id)
    except (TypeError, ValueError):
        raise HandoffError(f"“{handoff_id}” is not a handoff ID.") from None
    handoff = AcHandoff.objects.select_for_update().filter(pk=pk).first()
    if handoff is None:
        raise HandoffError(f"Handoff #{pk} does not exist.")
    return handoff


def _last_actor(handoff: AcHandoff) -> str:
    if not handoff.reviewed_by:
        return ""
    when = format_datetime(handoff.reviewed_at)
    return f" by {handoff.reviewed_by} at {when}"


def _check_expected(handoff: AcHandoff, expected_status: str | None, action: str) -> None:
    if expected_status and handoff.status != expected_status:
        raise HandoffConflict(
            f"Handoff #{handoff.pk} was {handoff.status}{_last_actor(handoff)} while you were "
            f"looking at it; nothing was {PAST_TENSE[action]}. Review it again."
        )


def _transition(
    *,
    handoff_id,
    action: str,
    note: str,
    actor: str,
    expected_status: str | None,
    prepare: Callable[[AcHandoff], dict] | None = None,
    **extra,
) -> AcHandoff:
    """Move the locked handoff; ``prepare`` (run after the status checks, under the lock) may
    refuse or return more fields to set."""
    rule = TRANSITIONS[action]
    handoff = _lock_handoff(handoff_id)
    _check_expected(handoff, expected_status, action)
    if handoff.status not in rule.sources:
        raise HandoffConflict(
            f"Handoff #{handoff.pk} is already {handoff.status}{_last_actor(handoff)}; "
            f"it cannot be {PAST_TENSE[action]} now."
        )
    note = (note or "").strip()
    if handoff.status in rule.note_required_from and not note:
        raise HandoffError(f"A note is required to {action} a pending handoff.")
    if prepare is not None:
        extra.update(prepare(handoff))
    old_status = handoff.status
    handoff.status = rule.target
    handoff.reviewed_by = actor
    handoff.reviewed_at = timezone.now()
    handoff.review_notes = note or None
    for field, value in extra.items():
        setattr(handoff, field, value)
    handoff.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_notes", *extra, "updated_at"]
    )
    _event(
        f"handoff_{PAST_TENSE[action]}",
        company_id=handoff.company_id,
        actor=actor,
        handoff_id=handoff.pk,
        contact_id=handoff.contact_id,
        from_status=old_status,
        to_status=rule.target,
        note=note,
        **{k: v for k, v in extra.items() if k == "reject_reason"},
        **(
            {"to_user_id": extra["assigned_to"].pk, "to_user": extra["assigned_to"].get_username()}
            if "assigned_to" in extra
            else {}
        ),
    )
    return handoff


def _acting_user(user_id):
    try:
        user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    except (TypeError, ValueError):
        user = None
    if user is None or not can_act(user):
        raise HandoffError("Only an active coordinator or admin can take a handoff on.")
    return user


def _assignee_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def handoff_accept(
    *,
    handoff_id: int,
    actor: str,
    user_id: int | None = None,
    note: str = "",
    expected_status: str | None = None,
) -> AcHandoff:
    """Accept a pending handoff: the coordinator (``user_id``) takes the booked company on.

    Who it belongs to afterwards (issue 17), decided under the row lock:

    * unassigned → assigned to the accepting user;
    * already assigned to the accepting user → stays so;
    * assigned to someone else → refused (``HandoffConflict``), naming the assignee: accepting
      must not silently take another coordinator's handoff. Reassign it to yourself first (an
      explicit, recorded step), then accept.

    The ``handoff_accepted`` event names the actor and, when the accept assigned it, the new
    assignee (``to_user_id``/``to_user``). ``user_id`` is ``None`` only for callers acting
    without a user account (commands, fixtures): the assignment is then left as it is.
    """
    user = _acting_user(user_id) if user_id is not None else None

    def take_on(handoff: AcHandoff) -> dict:
        if user is None or handoff.assigned_to_id == user.pk:
            return {}
        if handoff.assigned_to_id is not None:
            owner = handoff.assigned_to
            raise HandoffConflict(
                f"Handoff #{handoff.pk} is assigned to {_assignee_name(owner)}; nothing was "
                "accepted. Ask them, or reassign it to yourself first."
            )
        return {"assigned_to": user}

    return _transition(
        handoff_id=handoff_id,
        action="accept",
        note=note,
        actor=actor,
        expected_status=expected_status,
        prepare=take_on,
    )


@transaction.atomic
def handoff_reject(
    *,
    handoff_id: int,
    reason_code: str,
    note: str,
    actor: str,
    expected_status: str | None = None,
) -> AcHandoff:
    """Reject a pending handoff with a reason code and a note; the company returns to outreach.

    The booked campaign member (if any) goes back from ``booked`` to ``replied``.
    """
    if reason_code not in REJECT_REASONS:
        raise HandoffError(
            "Choose a reject reason: " + ", ".join(REJECT_REASONS.values()).lower() + "."
        )
    if not (note or "").strip():
        raise HandoffError("A note is required to reject a handoff: say what happened.")
    handoff = _transition(
        handoff_id=handoff_id,
        action="reject",
        note=note,
        actor=actor,
        expected_status=expected_status,
        reject_reason=reason_code,
    )
    if handoff.booking_event_id and handoff.contact_id:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE marketing.campaign_contact cc SET status = 'replied'"
                " FROM marketing.booking_event b"
                " WHERE b.booking_event_id = %s AND cc.campaign_id = b.campaign_id"
                " AND cc.contact_id = %s AND cc.status = 'booked'",
                [handoff.booking_event_id, handoff.contact_id],
            )
    return handoff


@transaction.atomic
def handoff_close(
    *, handoff_id: int, actor: str, note: str = "", expected_status: str | None = None
) -> AcHandoff:
    """Close a handoff: after a decision, or straight from pending with a note saying why."""
    return _transition(
        handoff_id=handoff_id,
        action="close",
        note=note,
        actor=actor,
        expected_status=expected_status,
    )


@transaction.atomic
def handoff_reassign(
    *, handoff_id: int, user_id: int, actor: str, expected_status: str | None = None
) -> AcHandoff:
    """Give a pending or accepted handoff to another coordinator (or admin)."""
    handoff = _lock_handoff(handoff_id)
    _check_expected(handoff, expected_status, "reassign")
    if handoff.status not in REASSIGNABLE:
        raise HandoffConflict(
            f"Handoff #{handoff.pk} is {handoff.status}{_last_actor(handoff)}; "
            "only pending or accepted handoffs can be reassigned."
        )
    try:
        user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    except (TypeError, ValueError):
        user = None
    if user is None or not can_act(user):
        raise HandoffError("Choose an active coordinator or admin to assign the handoff to.")
    if handoff.assigned_to_id == user.pk:
        raise HandoffError(f"Handoff #{handoff.pk} is already assigned to {user.get_username()}.")
    previous = handoff.assigned_to_id
    handoff.assigned_to = user
    handoff.save(update_fields=["assigned_to", "updated_at"])
    _event(
        "handoff_reassigned",
        company_id=handoff.company_id,
        actor=actor,
        handoff_id=handoff.pk,
        contact_id=handoff.contact_id,
        from_user_id=previous,
        to_user_id=user.pk,
        to_user=user.get_username(),
    )
    return handoff


def _live_contact(contact_id, error: type[Exception]) -> Contact:
    try:
        pk = int(contact_id)
    except (TypeError, ValueError):
        raise error(f"“{contact_id}” is not a person ID.") from None
    person = Contact.objects.select_for_update().filter(pk=pk).first()
    if person is None:
        raise error(f"Person #{pk} does not exist.")
    if person.status == Contact.Status.MERGED:
        raise error(
            f"{person.full_name} (#{pk}) was merged into #{person.merged_into_id}; "
            "use the surviving person."
        )
    return person


def _campaign(campaign_id, error: type[Exception]) -> Campaign | None:
    if campaign_id in (None, ""):
        return None
    try:
        pk = int(campaign_id)
    except (TypeError, ValueError):
        raise error(f"“{campaign_id}” is not a campaign ID.") from None
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise error(f"Campaign #{pk} does not exist.")
    return campaign


def _member_status(campaign: Campaign, person: Contact, error: type[Exception]) -> str:
    """Lock the membership row and return its status (the count updates depend on it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status FROM marketing.campaign_contact"
            " WHERE campaign_id = %s AND contact_id = %s FOR UPDATE",
            [campaign.pk, person.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise error(f"{person.full_name} is not a member of campaign “{campaign.name}”.")
    return row[0]


def _set_member_status(campaign: Campaign, person: Contact, status: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE marketing.campaign_contact SET status = %s"
            " WHERE campaign_id = %s AND contact_id = %s",
            [status, campaign.pk, person.pk],
        )


@transaction.atomic
def booking_record(
    *,
    contact_id: int,
    event_time: datetime,
    source: str,
    actor: str,
    campaign_id: int | None = None,
    notes: str = "",
) -> AcHandoff:
    """Record a meeting booked with a person and open the pending handoff for their company.

    Refused when the person does not exist, was merged, has no company, the meeting time is
    out of bounds (``meeting_time_problem``, shared with marking a member booked), or (with a
    campaign) the person is not a member of it. With a campaign the membership becomes
    ``booked``. Returns the new handoff; its ``booking_event`` is the booking.
    """
    person = _live_contact(contact_id, BookingError)
    if person.company_id is None:
        raise BookingError(
            f"{person.full_name} has no company; set their employer before booking a meeting."
        )
    if problem := meeting_time_problem(event_time):
        raise BookingError(problem)
    source = (source or "").strip()
    if not source:
        raise BookingError("Say where the booking came from.")
    campaign = _campaign(campaign_id, BookingError)
    if campaign is not None:
        _member_status(campaign, person, BookingError)
        _set_member_status(campaign, person, "booked")
    booking = BookingEvent.objects.create(
        contact=person,
        company_id=person.company_id,
        campaign=campaign,
        event_time=event_time,
        source=source,
        created_by=actor,
    )
    handoff = AcHandoff.objects.create(
        company_id=person.company_id,
        contact=person,
        booking_event=booking,
        notes=(notes or "").strip() or None,
    )
    _event(
        "booking_recorded",
        company_id=person.company_id,
        actor=actor,
        booking_event_id=booking.pk,
        handoff_id=handoff.pk,
        contact_id=person.pk,
        campaign_id=campaign.pk if campaign else None,
    )
    return handoff


# How a message moves a campaign member. The campaign's sent_count / response_count follow the
# member statuses through marketing.trigger_campaign_counts (0003_campaign_rules), recomputed in
# SQL by a statement trigger, so they are never read, incremented and written back in Python.
OUTBOUND_MOVES = {"pending": "sent"}
INBOUND_MOVES = {"pending": "replied", "sent": "replied", "opened": "replied", "bounced": "replied"}


def _db_rule_message(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return (getattr(diag, "message_primary", None) or str(exc)).strip()


@transaction.atomic
def message_record(
    *,
    contact_id: int,
    direction: str,
    channel: str,
    subject: str,
    body: str,
    actor: str,
    campaign_id: int | None = None,
    sent_at: datetime | None = None,
) -> MessageLog:
    """Log a message sent to or received from a person, optionally within a campaign.

    In a campaign the membership (locked first) moves: outbound pending → sent; inbound →
    replied unless already replied, booked or unsubscribed. The campaign counts follow through
    the database trigger (see above). The message is inserted before the member moves so the
    database guard ``marketing.trigger_message_outreach_guard`` still sees a member on hold
    (company already booked) and refuses outbound messages to unsubscribed or bounced people;
    its refusal becomes a ``MessageError``.
    """
    if direction not in MessageLog.Direction.values:
        raise MessageError("Direction must be inbound or outbound.")
    if channel not in MessageLog.Channel.values:
        raise MessageError("Channel must be email, LinkedIn, phone or other.")
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject and not body:
        raise MessageError("Give the message's subject or text.")
    person = _live_contact(contact_id, MessageError)
    campaign = _campaign(campaign_id, MessageError)
    current = _member_status(campaign, person, MessageError) if campaign else None
    if direction == "inbound":
        message_type = "reply"
    else:
        earlier = MessageLog.objects.filter(
            contact=person, campaign=campaign, direction="outbound"
        ).exists()
        message_type = "follow_up" if earlier else "initial"
    try:
        with transaction.atomic():
            message = MessageLog.objects.create(
                contact=person,
                campaign=campaign,
                direction=direction,
                channel=channel,
                message_type=message_type,
                status="sent" if direction == "outbound" else None,
                subject=subject or None,
                body=body or None,
                sent_at=sent_at or timezone.now(),
            )
    except IntegrityError as exc:
        raise MessageError(f"Message not recorded: {_db_rule_message(exc)}.") from None
    moves = OUTBOUND_MOVES if direction == "outbound" else INBOUND_MOVES
    if campaign is not None and current in moves:
        _set_member_status(campaign, person, moves[current])
    return message
