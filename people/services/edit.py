"""Create and edit a person outside Django admin (``person_create``, ``person_update``).

The same rules as the company edit (``companies.services.company_update``): the acting user is
named for the history trigger (``people.history``), the row is locked before comparing the
``updated_at`` the user saw (a difference is a :class:`PersonConflict` naming who saved), only
changed fields are written, and the database's refusals (CHECK, unique e-mail) come back as
:class:`PersonError` naming the form field.

Two rules are the database's, not this module's, and are deliberately left to it:

- **Verification follows the address** (people migration 0050): writing a new ``email`` is a
  plain UPDATE, and the trigger ends a green status (or restores the new address's own earlier
  status). Nothing here copies, keeps or resets verification.
- **A leaver's slots go stale**: a slot is stale when its person's status is not ``active`` or
  their employer is another company (``companies.selectors.stale_q``), and stale slots are in the
  open-slots queue. So setting status "left the company" (``inactive``) or another employer is
  what marks the slots stale and queues them; the service reports those slots
  (``person.stale_slots``) and records the job change as ``people.intelligence``
  (``intelligence_type='job_change'``). Clearing the employer of someone who still fills slots at
  it would leave those slots looking current, so it is refused with what to do instead.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from outreach_admin.dates import format_datetime
from outreach_admin.db import set_acting_user
from people.models import Contact, PersonHistory, PersonIntelligence
from people.services.rows import PeopleError

CHECK_VIOLATION = "23514"
UNIQUE_VIOLATION = "23505"

# What a coordinator may set on a person, in the order the edit page shows them (ContactForm's
# fields); anything else in ``data`` is ignored. ``company`` is the employer.
PERSON_FIELDS = (
    "full_name",
    "first_name",
    "last_name",
    "title",
    "email",
    "work_phone_e164",
    "personal_phone_e164",
    "linkedin_url",
    "company",
    "status",
)
# Statuses a coordinator may choose (``merged`` is only ever set by a merge).
EDITABLE_STATUSES = ("active", "inactive", "bounced", "unsubscribed")
# The database rule behind a refusal → the form field it is about (None: the whole form).
PERSON_CONSTRAINT_FIELD = {
    "contact_full_name_not_blank": "full_name",
    "contact_email_format": "email",
    "contact_email_live_uq": "email",
    "contact_work_phone_e164": "work_phone_e164",
    "contact_personal_phone_e164": "personal_phone_e164",
    "contact_status_ck": "status",
    "contact_linkedin_url_http": "linkedin_url",
}


class PersonError(PeopleError):
    """A person create or edit refused; ``field`` names the form field (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class PersonConflict(PersonError):
    """The person changed since the user loaded the form (someone else saved first)."""


class PersonNotFound(PersonError):
    """The person named in the request does not exist."""


def _person_fields(data) -> dict:
    """The editable fields of ``data``; ``company`` may be a Company, an id or None."""
    fields = {k: data[k] for k in PERSON_FIELDS if k in data}
    if "company" in fields:
        company = fields.pop("company")
        fields["company_id"] = getattr(company, "pk", company)
    status = fields.get("status")
    if status is not None and status not in EDITABLE_STATUSES:
        raise PersonError(
            "Choose active, left the company, bounced or unsubscribed; a person becomes "
            "merged only by merging.",
            "status",
        )
    return fields


def _person_write(write):
    """Run ``write`` in a savepoint; a CHECK or unique refusal becomes ``PersonError``."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        cause = exc.__cause__
        state = getattr(cause, "sqlstate", None)
        diag = getattr(cause, "diag", None)
        constraint = getattr(diag, "constraint_name", None) or ""
        field = PERSON_CONSTRAINT_FIELD.get(constraint)
        if state == UNIQUE_VIOLATION and constraint == "contact_email_live_uq":
            raise PersonError(
                "Another person already has this e-mail; open that person (or merge the two) "
                "instead.",
                "email",
            ) from exc
        if state in (CHECK_VIOLATION, UNIQUE_VIOLATION):
            text = getattr(diag, "message_primary", None) or str(cause)
            raise PersonError(f"The database refused the change: {text}.", field) from exc
        raise


def person_create(*, actor: str, data) -> Contact:
    """Create a person from ``data`` (only ``PERSON_FIELDS`` are read), source ``manual``.

    The history trigger records the insert naming ``actor``. Raises ``PersonError`` when the
    database refuses a value (blank name, malformed or taken e-mail, phone not E.164)."""
    fields = _person_fields(data)
    with transaction.atomic():
        set_acting_user(actor)
        person = _person_write(lambda: Contact.objects.create(source_system="manual", **fields))
        person.refresh_from_db()
        return person


def _conflict_message(person: Contact) -> str:
    """ "Dana Ruiz was changed by alice at 10:42 since you opened the form — …"."""
    change = (
        PersonHistory.objects.filter(contact_id=person.pk, table_name="contact")
        .order_by("-changed_at", "-history_id")
        .first()
    )
    who = f" by {change.changed_by}" if change and change.changed_by else ""
    local = timezone.localtime(person.updated_at)
    when = (
        local.strftime("%H:%M") if local.date() == timezone.localdate() else format_datetime(local)
    )
    return (
        f"{person.full_name} was changed{who} at {when} since you opened the "
        "form — reload to see the new values, then make your change again."
    )


def _held_slots(person: Contact, company_id: int | None) -> list[tuple[int, str, str]]:
    """(slot id, role, company name) of the slots ``person`` fills at ``company_id``."""
    if company_id is None:
        return []
    return list(
        person.slots.filter(company_id=company_id)
        .order_by("role_code")
        .values_list("company_slot_id", "role_code", "company__company_name")
    )


def person_update(*, actor: str, person_id: int, expected_updated_at, data) -> Contact:
    """Save the changed ``PERSON_FIELDS`` of ``data`` on a person the user saw at
    ``expected_updated_at``.

    The row is locked (``SELECT … FOR UPDATE``) before comparing: a different ``updated_at``
    means someone saved in between and ``PersonConflict`` names who. A merged record is refused
    (edit the survivor). Only differing fields are written (none: no UPDATE, no history row);
    ``person.changed_fields`` names them. When the person leaves (status ``inactive``) or their
    employer changes, ``person.stale_slots`` lists the slots they fill at the old employer, now
    stale and in the open-slots queue, and an employer change adds a ``job_change`` intelligence
    row. Raises ``PersonConflict``, ``PersonNotFound`` or ``PersonError``.
    """
    fields = _person_fields(data)
    with transaction.atomic():
        set_acting_user(actor)
        person = Contact.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise PersonNotFound(f"Person {person_id} does not exist.")
        if person.updated_at != expected_updated_at:
            raise PersonConflict(_conflict_message(person))
        if person.status == Contact.Status.MERGED:
            raise PersonError(
                f"{person.full_name} was merged into #{person.merged_into_id}; edit that record."
            )
        changed = {k: v for k, v in fields.items() if getattr(person, k) != v}
        old_company_id = person.company_id
        moved = "company_id" in changed
        leaving = changed.get("status") == Contact.Status.INACTIVE
        held = _held_slots(person, old_company_id) if (moved or leaving) else []
        if moved and changed["company_id"] is None and held and not leaving:
            roles = ", ".join(f"{role} slot at {name}" for _id, role, name in held)
            raise PersonError(
                f"{person.full_name} fills the {roles}. To say they left, set Status to "
                "“Left the company”; to move them, choose the new employer; or clear the slot "
                "first.",
                "company",
            )
        if changed:
            _person_write(lambda: Contact.objects.filter(pk=person.pk).update(**changed))
            if moved:
                _record_job_change(person, old_company_id, changed["company_id"])
            person.refresh_from_db()
        person.changed_fields = sorted(k.removesuffix("_id") for k in changed)
        person.stale_slots = held
        return person


def _record_job_change(person: Contact, old_company_id, new_company_id) -> None:
    """One ``people.intelligence`` row saying which employer the person left for which."""
    names = dict(
        Contact._meta.get_field("company")
        .related_model.objects.filter(pk__in=[i for i in (old_company_id, new_company_id) if i])
        .values_list("pk", "company_name")
    )
    PersonIntelligence.objects.create(
        contact_id=person.pk,
        intelligence_type="job_change",
        previous_value=names.get(old_company_id),
        new_value=names.get(new_company_id),
        payload={
            "from_company_id": old_company_id,
            "to_company_id": new_company_id,
            "source": "coordinator edit",
        },
    )
