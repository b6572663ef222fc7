"""Results that workers report about a person: profile scrapes and e-mail verifications.

Called by intake's worker API inside its transaction (which names the actor); each returns the
new row's id, or None when the person does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import Contact, EmailVerification, PersonIntelligence
from people.services.rows import AddressNotCurrent
from people.verification import address_conflict


def person_intelligence_record(*, contact_id: int, source: str, data: Mapping) -> int | None:
    """Stamp the person's ``last_profile_checked_at`` and add one ``people.intelligence`` row."""
    checked = data.get("checked_at") or timezone.now()
    if not Contact.objects.filter(pk=contact_id).update(last_profile_checked_at=checked):
        return None
    row = PersonIntelligence.objects.create(
        contact_id=contact_id,
        intelligence_type=data.get("intelligence_type") or "profile_scrape",
        new_value=data.get("headline") or None,
        linkedin_data=data.get("linkedin_data"),
        skills=data.get("skills"),
        experience=data.get("experience"),
        education=data.get("education"),
        payload={"worker": source, **(data.get("data") or {})},
        detected_at=checked,
    )
    return row.pk


def person_verification_record(*, contact_id: int, provider: str, data: Mapping) -> int | None:
    """Add one ``people.email_verification`` result (its trigger sets ``contact_verification``).

    A result for an address that is not the person's current e-mail is refused by the database
    (a verification belongs to the address it verified); that refusal is ``AddressNotCurrent``
    and changes nothing (the insert runs in its own savepoint)."""
    contact = Contact.objects.filter(pk=contact_id).only("email").first()
    if contact is None:
        return None
    try:
        with transaction.atomic():
            row = _verification_insert(contact, provider, data)
    except IntegrityError as exc:
        message = address_conflict(exc)
        if message is None:
            raise
        raise AddressNotCurrent(message) from None
    return row.pk


def _verification_insert(contact: Contact, provider: str, data: Mapping) -> EmailVerification:
    return EmailVerification.objects.create(
        contact_id=contact.pk,
        email=data.get("email") or contact.email,
        email_status=data["email_status"],
        confidence=data.get("confidence"),
        provider=data.get("provider") or provider,
        source_url=data.get("source_url") or None,
        result=data.get("result") or {},
        **({"verified_at": data["verified_at"]} if data.get("verified_at") else {}),
    )
