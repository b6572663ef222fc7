"""The write path for renewal campaigns (WORKFLOWS.md §3): build, move, remove members, outcomes.

The rules live in the database (migration 0003_campaign_rules) so raw SQL obeys them too; these
functions are their typed Python wrappers and turn a refused statement into ``CampaignError``
carrying the database's message:

* ``marketing.trigger_campaign_status``: draft → active, active → paused, paused → active,
  active/paused → completed, nothing else; started_at / ended_at stamped;
* ``marketing.trigger_campaign_member_rules``: members join only green, active people and only
  while the campaign is draft; they leave only while draft;
* ``marketing.trigger_campaign_counts``: sent_count / response_count follow member statuses;
* ``marketing.campaign_preflight``: who is included and why not, for preview and insert alike.

Every function is ``transaction.atomic`` (a savepoint inside the request's transaction) and
records the acting user: ``created_by`` on the campaign, ``created_by`` on bookings, and the
history triggers — every change of a campaign, member or message is a ``marketing.history`` row
(marketing 0009) and every change of a person a ``people.history`` row, naming
``outreach.actor``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from marketing.models import AcHandoff, BookingEvent, Campaign, CampaignContact
from marketing.services.handoffs import BOOKING_SOURCES, meeting_time_problem
from outreach_admin.fields import ROLES
from people.models import Contact, EmailVerification
from people.services import references
from people.services.rows import _insert_row, _json

MAX_COMPANIES = 1000

# Allowed moves, for showing buttons only: the database trigger is the rule.
TRANSITIONS = {
    "draft": ("active",),
    "active": ("paused", "completed"),
    "paused": ("active", "completed"),
    "completed": (),
}
OUTCOMES = ("sent", "opened", "replied", "bounced", "unsubscribed", "booked")


class CampaignError(Exception):
    """A campaign rule refused the action; the message says why (shown to the user)."""


def _db_message(exc: DatabaseError) -> str:
    diag = getattr(getattr(exc, "__cause__", None), "diag", None)
    primary = getattr(diag, "message_primary", None)
    return primary or str(exc).splitlines()[0]


def _choices(values) -> str:
    """ "a, b or c": the allowed values of a refusal message, as words."""
    values = [str(v).lower().replace("_", " ") for v in values]
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else "".join(values)


def _lock_campaign(campaign_id: int) -> Campaign:
    try:
        return Campaign.objects.select_for_update().get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise CampaignError(f"Campaign {campaign_id} does not exist.") from None


def campaign_create(
    *,
    name: str,
    type: str,
    target_roles: list[str],
    company_ids: list[int],
    actor: str,
) -> Campaign:
    """Create a draft campaign with exactly the members the pre-flight report includes.

    One transaction: the selected companies are locked (``FOR NO KEY UPDATE``, primary-key
    order) so two coordinators building from the same selection at once are serialised; then
    the campaign row, then one set-based ``INSERT … SELECT … FROM
    marketing.campaign_preflight(company_ids, roles) WHERE included`` that captures company_id
    and role_code. People already in an open campaign (or in one for this renewal) are excluded
    by the pre-flight, so building twice adds nobody twice. Raises ``CampaignError`` when the
    input is unusable or nobody would be included (nothing is created then).
    """
    name = (name or "").strip()
    roles = [r for r in ROLES if r in set(target_roles or [])]
    ids = sorted({int(i) for i in company_ids or []})
    if not name:
        raise CampaignError("Give the campaign a name.")
    if type not in Campaign.Type.values:
        raise CampaignError(
            f"“{type}” is not a campaign type; choose one of {_choices(Campaign.Type.labels)}."
        )
    if not roles:
        raise CampaignError("Choose at least one role to target (CEO, CFO or HR).")
    if not ids:
        raise CampaignError("Select at least one company.")
    if len(ids) > MAX_COMPANIES:
        raise CampaignError(f"Select at most {MAX_COMPANIES} companies per campaign.")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT company_id FROM company.company WHERE company_id = ANY(%s::bigint[])"
                " ORDER BY company_id FOR NO KEY UPDATE",
                [ids],
            )
            found = {row[0] for row in cursor.fetchall()}
        missing = [i for i in ids if i not in found]
        if missing:
            raise CampaignError(f"Unknown company id(s): {', '.join(map(str, missing[:10]))}.")
        campaign = Campaign.objects.create(
            name=name, type=type, target_roles=roles, created_by=actor, status="draft"
        )
        # Members and target_count in one statement (one round trip); the member rules are
        # checked once for the whole insert by the statement trigger (marketing 0006).
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH added AS ("
                " INSERT INTO marketing.campaign_contact (campaign_id, contact_id, company_id,"
                " role_code)"
                " SELECT %s, f.contact_id, f.company_id, f.role_code"
                " FROM marketing.campaign_preflight(%s::bigint[], %s::text[]) f"
                " WHERE f.included RETURNING 1)"
                " UPDATE marketing.campaign SET target_count = (SELECT count(*) FROM added)"
                " WHERE campaign_id = %s RETURNING target_count, updated_at",
                [campaign.pk, ids, roles, campaign.pk],
            )
            added, updated_at = cursor.fetchone()
        if added == 0:
            raise CampaignError(
                "Nobody can be added: every candidate is excluded (see the reasons in the "
                "pre-flight report). No campaign was created."
            )
        campaign.target_count, campaign.updated_at = added, updated_at
    return campaign


def campaign_transition(*, campaign_id: int, to_status: str, actor: str) -> Campaign:
    """Move a campaign to ``to_status`` under a row lock; the status trigger decides.

    A refused move raises ``CampaignError`` with the trigger's message (e.g. 'campaign "X"
    cannot move from completed to active'). The move is recorded in ``marketing.history`` with
    the request's ``outreach.actor`` (callers outside a request use ``acting_as(actor)``).
    """
    if to_status not in Campaign.Status.values:
        raise CampaignError(
            f"“{to_status}” is not a campaign status; choose one of "
            f"{_choices(Campaign.Status.values)}."
        )
    try:
        with transaction.atomic():
            campaign = _lock_campaign(campaign_id)
            if campaign.status == to_status:
                raise CampaignError(f'Campaign "{campaign.name}" is already {to_status}.')
            Campaign.objects.filter(pk=campaign_id).update(status=to_status)
            campaign.refresh_from_db()
    except DatabaseError as exc:
        raise CampaignError(_db_message(exc)) from exc
    return campaign


def campaign_member_remove(*, member_id: int, actor: str) -> CampaignContact:
    """Remove a member from a draft campaign (the member trigger refuses any other status)."""
    try:
        with transaction.atomic():
            member = (
                CampaignContact.objects.select_for_update()
                .select_related("contact", "campaign")
                .filter(pk=member_id)
                .first()
            )
            if member is None:
                raise CampaignError("That member is no longer in the campaign.")
            _lock_campaign(member.campaign_id)
            member.delete()
    except DatabaseError as exc:
        raise CampaignError(_db_message(exc)) from exc
    return member


def member_record_outcome(
    *,
    member_id: int,
    outcome: str,
    actor: str,
    event_time: datetime | None = None,
    source: str | None = None,
) -> CampaignContact:
    """Record what happened to a member and feed it back to the person and the company.

    * ``sent`` / ``opened`` / ``replied``: the member's status.
    * ``bounced``: the member bounced; a red ``people.email_verification`` result is recorded
      (its trigger sets ``contact_verification.email_status`` red) and the person's status
      becomes ``bounced``, which makes every slot they hold stale.
    * ``unsubscribed``: the member and the person become ``unsubscribed``.
    * ``booked``: a ``marketing.booking_event`` at ``event_time`` (required, within the bounds
      of ``handoffs.meeting_time_problem``: never "now" by default, issue 17) from ``source``
      (a key of ``handoffs.BOOKING_SOURCES``, required) and a pending
      ``marketing.ac_handoff`` are created. The company's other *pending* members in this
      campaign are then on hold: derived from the booking (``vw_campaign_member.on_hold``), and
      the ``message_log`` guard refuses outbound messages to them. Nothing is stored per member,
      so the hold cannot go stale and lifts if the booking is removed.

    Only once the campaign has started (active, paused or completed): a draft has sent nothing.
    Locks: the campaign row, then the member row.
    """
    if outcome not in OUTCOMES:
        raise CampaignError(f"“{outcome}” is not an outcome; choose one of {_choices(OUTCOMES)}.")
    if outcome == "booked":
        if problem := meeting_time_problem(event_time):
            raise CampaignError(problem)
        if source not in BOOKING_SOURCES:
            raise CampaignError(
                "Say where the booking came from: "
                + ", ".join(BOOKING_SOURCES.values()).lower()
                + "."
            )
    try:
        with transaction.atomic():
            member = CampaignContact.objects.filter(pk=member_id).first()
            if member is None:
                raise CampaignError("That member is no longer in the campaign.")
            campaign = _lock_campaign(member.campaign_id)
            member = CampaignContact.objects.select_for_update().get(pk=member_id)
            if campaign.status == "draft":
                raise CampaignError(
                    f'Campaign "{campaign.name}" is still a draft: activate it before '
                    "recording outcomes."
                )
            if member.status == outcome:
                raise CampaignError(f"This member is already {outcome}.")
            if member.status in ("bounced", "unsubscribed", "booked"):
                raise CampaignError(
                    f"This member is {member.status}; that outcome is final for this campaign."
                )
            CampaignContact.objects.filter(pk=member_id).update(status=outcome)
            if outcome == "bounced":
                contact = Contact.objects.select_for_update().get(pk=member.contact_id)
                EmailVerification.objects.create(
                    contact=contact,
                    email=contact.email,
                    email_status="red",
                    provider="campaign bounce",
                    result={"campaign_id": campaign.pk, "recorded_by": actor},
                    verified_at=timezone.now(),
                )
                if contact.status == "active":
                    Contact.objects.filter(pk=contact.pk).update(status="bounced")
            elif outcome == "unsubscribed":
                Contact.objects.filter(
                    pk=member.contact_id, status__in=["active", "bounced"]
                ).update(status="unsubscribed")
            elif outcome == "booked":
                if member.company_id is None:
                    raise CampaignError("This member has no company: a booking needs one.")
                booking = BookingEvent.objects.create(
                    contact_id=member.contact_id,
                    company_id=member.company_id,
                    campaign=campaign,
                    event_time=event_time,
                    source=source,
                    created_by=actor,
                )
                AcHandoff.objects.create(
                    company_id=member.company_id,
                    contact_id=member.contact_id,
                    booking_event=booking,
                    status="pending",
                    notes=f'Booked from campaign "{campaign.name}" by {actor}.',
                )
            member.refresh_from_db()
    except DatabaseError as exc:
        raise CampaignError(_db_message(exc)) from exc
    return member


# --- Person merges: the references marketing registers with people -----------------------------


def _collisions_preview(absorbed_id: int, survivor_id: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.campaign_contact_id, a.campaign_id, cp.name AS campaign_name
            FROM marketing.campaign_contact a
            JOIN marketing.campaign cp ON cp.campaign_id = a.campaign_id
            WHERE a.contact_id = %s AND EXISTS (
                SELECT 1 FROM marketing.campaign_contact s
                WHERE s.campaign_id = a.campaign_id AND s.contact_id = %s)
            ORDER BY a.campaign_contact_id
            """,
            [absorbed_id, survivor_id],
        )
        return [
            {"campaign_contact_id": r[0], "campaign_id": r[1], "campaign_name": r[2]}
            for r in cursor.fetchall()
        ]


def _collision_line(c: dict) -> str:
    return (
        f"1 campaign membership collides with the survivor's in campaign "
        f"“{c['campaign_name']}” → kept once (the survivor's row; the absorbed row "
        f"#{c['campaign_contact_id']} is recorded in the merge log and removed)."
    )


def _collisions_remove(absorbed_id: int, survivor_id: int) -> list[dict]:
    """Delete the absorbed person's memberships in campaigns the survivor is in; their images."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM marketing.campaign_contact a
            WHERE a.contact_id = %s AND EXISTS (
                SELECT 1 FROM marketing.campaign_contact s
                WHERE s.campaign_id = a.campaign_id AND s.contact_id = %s)
            RETURNING to_jsonb(a)
            """,
            [absorbed_id, survivor_id],
        )
        return [_json(r[0]) for r in cursor.fetchall()]


def _collision_undo_problems(row: dict, absorbed_id: int) -> list[str]:
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM marketing.campaign_contact WHERE campaign_contact_id = %s "
            "OR (campaign_id = %s AND contact_id = %s)",
            [row["campaign_contact_id"], row["campaign_id"], absorbed_id],
        )
        if cursor.fetchall():
            problems.append(
                f"Campaign membership #{row['campaign_contact_id']} cannot be restored: "
                "its place was taken since."
            )
        cursor.execute(
            "SELECT name, status FROM marketing.campaign WHERE campaign_id = %s",
            [row["campaign_id"]],
        )
        status = cursor.fetchone()
    if status is None:
        problems.append(f"Campaign #{row['campaign_id']} was deleted since.")
    elif status[1] != "draft":
        problems.append(
            f"Campaign “{status[0]}” is {status[1]} now; the absorbed person's membership "
            "cannot be put back (members change only while a campaign is draft)."
        )
    return problems


def _collision_restore(row: dict) -> None:
    _insert_row("marketing.campaign_contact", row)


def register_person_references() -> None:
    """Register what a person merge moves in marketing (``MarketingConfig.ready``)."""
    for position, table, pk, one, many in (
        (20, "marketing.campaign_contact", "campaign_contact_id", "campaign membership",
         "campaign memberships"),
        (30, "marketing.message_log", "message_log_id", "message", "messages"),
        (40, "marketing.booking_event", "booking_event_id", "booking", "bookings"),
        (50, "marketing.ac_handoff", "handoff_id", "handoff", "handoffs"),
        (60, "marketing.attribution", "attribution_id", "attribution", "attributions"),
    ):  # fmt: skip
        references.register_repointed(
            table=table, pk=pk, column="contact_id", one=one, many=many, position=position
        )
    references.register_collisions(
        references.Collisions(
            key="marketing.campaign_contact",
            preview=_collisions_preview,
            line=_collision_line,
            remove=_collisions_remove,
            undo_problems=_collision_undo_problems,
            restore=_collision_restore,
        )
    )
