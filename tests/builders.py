"""Test data builders. They write through the ORM the way the app does (database defaults,
triggers and constraints all fire), so tests cannot drift from production rules."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group, User

from companies.models import Company, CompanySlot
from people.models import Contact, ContactVerification

_seq = itertools.count(1)


def user(username: str | None = None, *, group: str | None = "coordinator", **extra) -> User:
    """A user in the given group (coordinator, viewer, admin or None)."""
    u = User.objects.create_user(
        username or f"user{next(_seq)}", password="pass-1234-word", **extra
    )
    if group:
        u.groups.add(Group.objects.get(name=group))
    return u


def company(name: str | None = None, *, slots: bool = True, **fields) -> Company:
    """A company with its three empty slots (unless ``slots=False``)."""
    n = next(_seq)
    fields.setdefault("website_url", f"https://company{n}.example.com")
    c = Company.objects.create(company_name=name or f"Company {n}", **fields)
    if slots:
        CompanySlot.objects.bulk_create(
            [CompanySlot(company=c, role_code=r) for r in ("CEO", "CFO", "HR")]
        )
    return c


def contact(
    full_name: str | None = None, *, email_status: str | None = "gray", **fields
) -> Contact:
    """A person with a verification row in ``email_status`` (None: no verification row)."""
    n = next(_seq)
    fields.setdefault("email", f"person{n}@example.com")
    p = Contact.objects.create(full_name=full_name or f"Person {n}", **fields)
    if email_status:
        ContactVerification.objects.create(contact=p, email_status=email_status)
    return p


def slot(company_obj: Company, role: str) -> CompanySlot:
    return CompanySlot.objects.get(company=company_obj, role_code=role)
