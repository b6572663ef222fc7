"""Write path for company slots (assign, replace, clear, bulk fill) and company records
(create, edit).

Every function runs in ``transaction.atomic()`` (requests already run inside the middleware's
transaction, so these are savepoints there and real transactions from commands/tests), names the
acting user for the history trigger (``outreach.actor``) and locks the slot rows it changes with
``SELECT … FOR UPDATE`` in primary-key order.

Optimistic concurrency: a form carries the contact the user *saw* in the slot
(``expected_contact_id``, None for an empty slot). After taking the row lock the service compares
it with what is there now; a difference means someone else acted first, and the service raises
:class:`SlotConflict` naming who and when (from ``company.history``) instead of overwriting.

The reason a coordinator gives for a replace or clear travels to the history trigger as the
transaction-local setting ``outreach.reason`` (set right before the UPDATE, cleared right after),
and the shared ``public.trigger_history`` (company_slot's triggers pass ``'+reason'``, companies
migration 0010) stores it in ``history.new_values->'reason'``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from companies.models import Company, CompanyHistory, CompanyIntelligence, CompanySlot
from outreach_admin.dates import format_datetime
from outreach_admin.db import set_acting_user
from outreach_admin.fields import ROLES
from people.models import Contact
from people.services import references

CHECK_VIOLATION = "23514"
UNIQUE_VIOLATION = "23505"


class SlotError(Exception):
    """A slot action refused for a business reason; the message is meant for the user."""


class SlotConflict(SlotError):
    """The slot changed since the user looked at it (someone else acted first)."""


class SlotNotAllowed(SlotError):
    """The rules forbid this fill: merged person, archived company, blank reason, …"""


class SlotNotFound(SlotError):
    """The slot or person named in the request does not exist."""


@dataclass(frozen=True)
class FillOutcome:
    """What bulk fill did (or would do) with one slot."""

    slot_id: int
    company_id: int
    company_name: str
    role_code: str
    action: str  # "fill" or "skip"
    contact_id: int | None
    contact_name: str
    confidence: str
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def _moment(at) -> str:
    """ "10:42" today, else "7 Dec 2026, 10:42" (the app's one format, outreach_admin.dates)."""
    local = timezone.localtime(at)
    return f"{local:%H:%M}" if local.date() == timezone.localdate() else format_datetime(at)


def _set_reason(reason: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('outreach.reason', %s, true)", [reason or ""])


def _lock_slot(slot_id: int) -> CompanySlot:
    try:
        # No select_related: FOR UPDATE would then lock the company row too (and OF cannot name
        # schema-qualified tables), so the company is read after the lock.
        return CompanySlot.objects.select_for_update().get(pk=slot_id)
    except CompanySlot.DoesNotExist:
        raise SlotNotFound(f"Slot {slot_id} does not exist.") from None


def _last_change(slot: CompanySlot) -> CompanyHistory | None:
    return (
        CompanyHistory.objects.filter(company_slot_id=slot.pk, table_name="company_slot")
        .order_by("-changed_at", "-history_id")
        .first()
    )


def _conflict_message(slot: CompanySlot) -> str:
    """ "CFO slot was filled with Dana Ruiz by alice at 10:42 — reload to see it"."""
    change = _last_change(slot)
    who = f" by {change.changed_by}" if change and change.changed_by else ""
    when = ""
    if change:
        when = f" at {_moment(change.changed_at)}"
    if slot.contact_id is None:
        what = "was cleared"
    else:
        name = Contact.objects.filter(pk=slot.contact_id).values_list("full_name", flat=True)
        what = f"was filled with {name.first() or f'person {slot.contact_id}'}"
    where = f"{slot.role_code} slot of {slot.company.company_name}"
    return f"{where} {what}{who}{when} — reload to see it."


def _check_expected(slot: CompanySlot, expected_contact_id: int | None) -> None:
    if slot.contact_id != expected_contact_id:
        raise SlotConflict(_conflict_message(slot))


def _fillable_contact(slot: CompanySlot, contact_id: int) -> Contact:
    """The person to put in ``slot``, checked against the rules the database also enforces."""
    try:
        person = Contact.objects.select_related("merged_into").get(pk=contact_id)
    except Contact.DoesNotExist:
        raise SlotNotFound(f"Person {contact_id} does not exist.") from None
    if person.status == Contact.Status.MERGED:
        survivor = person.merged_into
        raise SlotNotAllowed(
            f"{person.full_name} was merged into {survivor.full_name if survivor else 'another'} "
            f"(#{person.merged_into_id}) and cannot fill a slot — use the surviving record."
        )
    if slot.company.status == Company.Status.ARCHIVED:
        raise SlotNotAllowed(
            f"{slot.company.company_name} is archived; its slots cannot be filled."
        )
    if slot.contact_id == person.pk:
        raise SlotNotAllowed(f"{person.full_name} is already in the {slot.role_code} slot.")
    return person


def _write(slot: CompanySlot, contact_id: int | None, reason: str) -> None:
    """UPDATE the slot; the DB trigger's refusals (SQLSTATE 23514) become ``SlotNotAllowed``."""
    _set_reason(reason)
    try:
        with transaction.atomic():
            CompanySlot.objects.filter(pk=slot.pk).update(contact_id=contact_id)
    except IntegrityError as exc:
        cause = exc.__cause__
        if getattr(cause, "sqlstate", None) == CHECK_VIOLATION:
            diag = getattr(cause, "diag", None)
            text = getattr(diag, "message_primary", None) or str(cause)
            raise SlotNotAllowed(f"The database refused the change: {text}.") from exc
        raise
    finally:
        _set_reason("")
    slot.contact_id = contact_id


def slot_assign(
    *,
    slot_id: int,
    contact_id: int,
    actor: str,
    expected_contact_id: int | None = None,
    reason: str = "",
) -> CompanySlot:
    """Put ``contact_id`` into an empty slot.

    The slot must still hold ``expected_contact_id`` (normally None: the user saw it empty);
    a filled slot needs :func:`slot_replace` with a reason. Raises ``SlotConflict``,
    ``SlotNotAllowed`` or ``SlotNotFound``.
    """
    with transaction.atomic():
        set_acting_user(actor)
        slot = _lock_slot(slot_id)
        _check_expected(slot, expected_contact_id)
        if slot.contact_id is not None:
            raise SlotNotAllowed(
                f"The {slot.role_code} slot is already filled; replace it and give a reason."
            )
        _fillable_contact(slot, contact_id)
        _write(slot, contact_id, reason.strip())
        return slot


def slot_replace(
    *,
    slot_id: int,
    contact_id: int,
    actor: str,
    expected_contact_id: int,
    reason: str,
) -> CompanySlot:
    """Swap the person in a filled slot for ``contact_id``; a non-blank ``reason`` is required
    and is recorded in the history row with the actor."""
    reason = (reason or "").strip()
    if not reason:
        raise SlotNotAllowed("Say why you replace the person in this slot (a reason is required).")
    with transaction.atomic():
        set_acting_user(actor)
        slot = _lock_slot(slot_id)
        _check_expected(slot, expected_contact_id)
        if slot.contact_id is None:
            raise SlotNotAllowed(f"The {slot.role_code} slot is empty; assign someone instead.")
        _fillable_contact(slot, contact_id)
        _write(slot, contact_id, reason)
        return slot


def slot_clear(
    *, slot_id: int, actor: str, expected_contact_id: int | None, reason: str = ""
) -> CompanySlot:
    """Empty a slot that still holds ``expected_contact_id``; the optional reason is recorded."""
    with transaction.atomic():
        set_acting_user(actor)
        slot = _lock_slot(slot_id)
        _check_expected(slot, expected_contact_id)
        if slot.contact_id is None:
            raise SlotNotAllowed(f"The {slot.role_code} slot is already empty.")
        _write(slot, None, (reason or "").strip())
        return slot


def _top_candidates(slot_ids: list[int]) -> dict[int, list[tuple]]:
    """The best two eligible candidates of each slot, in one query (company.slot_candidates)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.slot_id, x.contact_id, x.full_name, x.confidence, x.email_status
            FROM unnest(%s::bigint[]) AS s(slot_id)
            CROSS JOIN LATERAL company.slot_candidates(s.slot_id, 2) x
            WHERE x.eligible
            ORDER BY s.slot_id, x.rank
            """,
            [slot_ids],
        )
        out: dict[int, list[tuple]] = {}
        for row in cursor.fetchall():
            out.setdefault(row[0], []).append(row[1:])
        return out


def slots_bulk_fill(
    *,
    slot_ids: list[int],
    actor: str,
    threshold: float = 0.7,
    margin: float = 0.15,
    dry_run: bool,
) -> list[FillOutcome]:
    """Fill every empty slot whose best candidate is clearly best; report every slot's outcome.

    A slot is filled with its top-ranked eligible candidate (company.slot_candidates) when that
    candidate's title confidence is at least ``threshold`` and, if there is a runner-up, at least
    ``margin`` above the runner-up's. Everything else is skipped with the reason. ``dry_run``
    computes the same outcomes without locking or writing, so a preview equals the result unless
    the data changed in between. Slots are locked in primary-key order.
    """
    threshold_d = Decimal(str(threshold))
    margin_d = Decimal(str(margin))
    ids = sorted({int(i) for i in slot_ids})
    with transaction.atomic():
        set_acting_user(actor)
        qs = CompanySlot.objects.filter(pk__in=ids).order_by("pk")
        if not dry_run:
            qs = qs.select_for_update()
        slots = list(qs)
        companies = Company.objects.in_bulk({s.company_id for s in slots})
        for slot in slots:
            slot.company = companies[slot.company_id]
        candidates = _top_candidates([s.pk for s in slots if s.contact_id is None])
        outcomes = []
        fills: list[tuple[int, int]] = []
        for slot in slots:
            base = {
                "slot_id": slot.pk,
                "company_id": slot.company_id,
                "company_name": slot.company.company_name,
                "role_code": slot.role_code,
            }
            skip = None
            best = None
            ranked = candidates.get(slot.pk, [])
            if slot.contact_id is not None:
                skip = "already filled"
            elif slot.company.status == Company.Status.ARCHIVED:
                skip = "company is archived"
            elif not ranked:
                skip = "no candidate whose title fits the role"
            else:
                best = ranked[0]
                if best[2] < threshold_d:
                    skip = f"best candidate {best[1]} scores {best[2]:.2f}, below {threshold_d:.2f}"
                elif len(ranked) > 1 and best[2] - ranked[1][2] < margin_d:
                    skip = (
                        f"not clearly ahead: {best[1]} {best[2]:.2f} vs {ranked[1][1]} "
                        f"{ranked[1][2]:.2f} (needs a {margin_d:.2f} lead)"
                    )
            if skip:
                outcomes.append(
                    FillOutcome(
                        **base,
                        action="skip",
                        contact_id=best[0] if best else None,
                        contact_name=best[1] if best else "",
                        confidence=f"{best[2]:.2f}" if best else "",
                        reason=skip,
                    )
                )
                continue
            outcomes.append(
                FillOutcome(
                    **base,
                    action="fill",
                    contact_id=best[0],
                    contact_name=best[1],
                    confidence=f"{best[2]:.2f}",
                    reason=f"title fits {slot.role_code} at {best[2]:.2f}; email {best[3]}",
                )
            )
            fills.append((slot.pk, best[0]))
        if fills and not dry_run:
            _set_reason(f"bulk fill (threshold {threshold_d:.2f}, margin {margin_d:.2f})")
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        """
                        UPDATE company.company_slot s SET contact_id = f.contact_id
                        FROM unnest(%s::bigint[], %s::bigint[]) AS f(slot_id, contact_id)
                        WHERE s.company_slot_id = f.slot_id AND s.contact_id IS NULL
                        """,
                        [[f[0] for f in fills], [f[1] for f in fills]],
                    )
            finally:
                _set_reason("")
        return outcomes


@transaction.atomic
def renewal_dates_roll(*, actor: str, today=None) -> int:
    """Roll stored renewal dates forward: ``company.f_roll_renewal_dates(today)`` (migration 0006).

    Set-based; touches only companies whose stored next renewal is before ``today`` (default the
    database's current_date) and returns how many. Neither updated_at nor history changes (the
    dates are derived). Readers stay correct when this has not run: they compute the date for a
    stale row.
    """
    set_acting_user(actor)
    with connection.cursor() as cursor:
        if today is None:
            cursor.execute("SELECT company.f_roll_renewal_dates()")
        else:
            cursor.execute("SELECT company.f_roll_renewal_dates(%s)", [today])
        return cursor.fetchone()[0]


# --- Company records: create and edit ----------------------------------------------------------

# What a coordinator may set on a company, in the order the edit page shows them (CompanyForm's
# fields); anything else in ``data`` is ignored.
COMPANY_FIELDS = (
    "company_name",
    "website_url",
    "industry",
    "renewal_month",
    "renewal_notice_window_days",
    "status",
    "address_line1",
    "address_line2",
    "city",
    "state_region",
    "postal_code",
    "country",
)
# The database rule behind a refusal → the form field it is about (None: the whole form).
COMPANY_CONSTRAINT_FIELD = {
    "company_name_not_blank": "company_name",
    "company_renewal_month_ck": "renewal_month",
    "company_renewal_window_ck": "renewal_notice_window_days",
    "company_status_ck": "status",
}


class CompanyError(Exception):
    """A company create or edit refused; the message is meant for the user, ``field`` names the
    form field it is about (None: the form as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class CompanyConflict(CompanyError):
    """The company changed since the user loaded the form (someone else saved first)."""


class CompanyNotFound(CompanyError):
    """The company named in the request does not exist."""


def _company_fields(data) -> dict:
    return {k: data[k] for k in COMPANY_FIELDS if k in data}


def _company_write(write):
    """Run ``write`` in a savepoint; a CHECK or unique refusal becomes ``CompanyError``."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        cause = exc.__cause__
        state = getattr(cause, "sqlstate", None)
        diag = getattr(cause, "diag", None)
        constraint = getattr(diag, "constraint_name", None) or ""
        field = COMPANY_CONSTRAINT_FIELD.get(constraint)
        if state == UNIQUE_VIOLATION and "domain" in constraint:
            raise CompanyError(
                "Another company already has this website's domain; open that company instead.",
                "website_url",
            ) from exc
        if state in (CHECK_VIOLATION, UNIQUE_VIOLATION):
            text = getattr(diag, "message_primary", None) or str(cause)
            raise CompanyError(f"The database refused the change: {text}.", field) from exc
        raise


def company_create(*, actor: str, data) -> Company:
    """Create a company from ``data`` (only ``COMPANY_FIELDS`` are read) with its three empty
    slots (CEO, CFO, HR: no trigger makes them). The history triggers record the company and its
    slots naming ``actor``. Raises ``CompanyError`` when the database refuses a value."""
    fields = _company_fields(data)
    with transaction.atomic():
        set_acting_user(actor)
        company = _company_write(lambda: Company.objects.create(**fields))
        CompanySlot.objects.bulk_create(
            [CompanySlot(company=company, role_code=role) for role in ROLES]
        )
        company.refresh_from_db()
        return company


def _company_conflict_message(company: Company) -> str:
    """ "Acme was changed by alice at 10:42 — reload to see it"."""
    change = (
        CompanyHistory.objects.filter(company_id=company.pk, table_name="company")
        .order_by("-changed_at", "-history_id")
        .first()
    )
    who = f" by {change.changed_by}" if change and change.changed_by else ""
    return (
        f"{company.company_name} was changed{who} at {_moment(company.updated_at)} since you "
        "opened the form — reload to see the new values, then make your change again."
    )


def company_update(*, actor: str, company_id: int, expected_updated_at, data) -> Company:
    """Save the changed ``COMPANY_FIELDS`` of ``data`` on a company the user saw at
    ``expected_updated_at``.

    The row is locked (``SELECT … FOR UPDATE``) before comparing: a different ``updated_at``
    means someone saved in between, and ``CompanyConflict`` names who instead of overwriting.
    Only fields whose value differs are written (none: no UPDATE, no history row); the returned
    company's ``changed_fields`` names them. Archive is ``status="archived"``. Raises
    ``CompanyConflict``, ``CompanyNotFound`` or ``CompanyError``.
    """
    fields = _company_fields(data)
    with transaction.atomic():
        set_acting_user(actor)
        try:
            company = Company.objects.select_for_update().get(pk=company_id)
        except Company.DoesNotExist:
            raise CompanyNotFound(f"Company {company_id} does not exist.") from None
        if company.updated_at != expected_updated_at:
            raise CompanyConflict(_company_conflict_message(company))
        changed = {k: v for k, v in fields.items() if getattr(company, k) != v}
        if changed:
            _company_write(lambda: Company.objects.filter(pk=company.pk).update(**changed))
            company.refresh_from_db()
        company.changed_fields = sorted(changed)
        return company


# --- Worker results and person merges ---------------------------------------------------------

COMPANY_CHECK_COLUMN = {
    "website": "last_site_checked_at",
    "linkedin": "last_linkedin_checked_at",
    "news": "last_news_checked_at",
}


def company_intelligence_record(*, company_id: int, source: str, data) -> int | None:
    """Record a scrape of one company URL: stamp its ``last_*_checked_at`` and add one
    ``company.intelligence`` row. Returns the intelligence id, or None for an unknown company.
    The caller's transaction names the actor (the worker API request)."""
    checked = data.get("checked_at") or timezone.now()
    updated = Company.objects.filter(pk=company_id).update(
        **{COMPANY_CHECK_COLUMN[data["url_type"]]: checked}
    )
    if not updated:
        return None
    row = CompanyIntelligence.objects.create(
        company_id=company_id,
        intelligence_type=data.get("intelligence_type") or "scrape",
        source=source,
        title=data.get("title") or None,
        description=data.get("description") or None,
        url=data.get("url") or None,
        score=data.get("score"),
        detected_at=checked,
        payload={"url_type": data["url_type"], **(data.get("data") or {})},
    )
    return row.pk


def _slots_gone(gone: list) -> list[str]:
    """Why moved slots cannot go back on a merge undo: who holds each one now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.company_slot_id, s.role_code, co.company_name, s.contact_id "
            "FROM company.company_slot s JOIN company.company co USING (company_id) "
            "WHERE s.company_slot_id = ANY(%s)",
            [gone],
        )
        detail = cursor.fetchall()
    return [
        f"The {role} slot at {name} now holds {f'#{holder}' if holder else 'nobody'}, "
        "not the survivor."
        for _sid, role, name, holder in detail
    ]


def register_person_references() -> None:
    """Register the slots as a reference a person merge re-points (``CompaniesConfig.ready``)."""
    references.register_repointed(
        table="company.company_slot",
        pk="company_slot_id",
        column="contact_id",
        one="slot",
        many="slots",
        position=10,
        describe_gone=_slots_gone,
    )
