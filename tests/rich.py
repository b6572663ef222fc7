"""A company and a person with a long history of every kind, for detail-page query guards."""

from __future__ import annotations

import datetime

from django.utils import timezone

from companies.models import CompanyIntelligence, CompanySlot
from marketing.models import AcHandoff, BookingEvent, Campaign, CampaignContact, MessageLog
from people.models import Contact
from signals.models import Signal
from tests import builders


def world(n: int):
    """(company, person): ``n`` colleagues, slot changes, campaign members, messages, signals,
    intelligence, profile edits, bookings and handoffs — each ``n`` long."""
    company = builders.company()
    people = [
        builders.contact(f"Colleague {i} Rich", company=company, email_status="green")
        for i in range(max(n, 3))
    ]
    person = people[0]
    for role, p in zip(("CEO", "CFO", "HR"), people, strict=False):
        CompanySlot.objects.filter(company=company, role_code=role).update(contact=p)
    for i in range(n):  # slot history: the HR slot changes hands n times
        CompanySlot.objects.filter(company=company, role_code="HR").update(
            contact=people[i % len(people)] if i % 2 else None
        )
        Contact.objects.filter(pk=person.pk).update(title=f"Director {i}")
    campaign = Campaign.objects.create(name=f"Rich campaign {n}", type="renewal")
    CampaignContact.objects.bulk_create(
        CampaignContact(campaign=campaign, contact=p, company=company) for p in people[:n]
    )
    now = timezone.now()
    MessageLog.objects.bulk_create(
        MessageLog(
            contact=person,
            campaign=campaign,
            direction="outbound",
            subject=f"Hello {i}",
            sent_at=now - datetime.timedelta(hours=i),
        )
        for i in range(n)
    )
    Signal.objects.bulk_create(
        Signal(company=company, contact=person, reason="title_change", dedupe_key=f"rich-{n}-{i}")
        for i in range(n)
    )
    CompanyIntelligence.objects.bulk_create(
        CompanyIntelligence(company=company, intelligence_type="news", title=f"News {i}")
        for i in range(n)
    )
    for i in range(n):
        booking = BookingEvent.objects.create(
            contact=person, company=company, event_time=now + datetime.timedelta(days=i + 1)
        )
        AcHandoff.objects.create(company=company, contact=person, booking_event=booking)
    return company, person


OVERHEAD = (
    "django_session",
    "auth_user",
    "auth_group",
    "set_config(",
    "public.set_actor(",
    "SET LOCAL ROLE",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK",
    "axes_",
)


def app_queries(captured) -> list[str]:
    """The page's own statements (not session, user, role/actor or transaction control)."""
    return [q["sql"] for q in captured if not any(m in q["sql"][:400] for m in OVERHEAD)]
