"""Database-side defaults and shared field choices used by every app's models.

Defaults are ``db_default`` so that a raw ``psql`` INSERT gets the same values as the ORM
(the seeds' SQL examples omit these columns).
"""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Now

# The three decision-maker roles of a company's slots, in board order.
ROLES = ("CEO", "CFO", "HR")
ROLE_CHOICES = [(role, role) for role in ROLES]
EMAIL_STATUS_CHOICES = [("green", "Green"), ("yellow", "Yellow"), ("red", "Red"), ("gray", "Gray")]

# The Python side of public.is_http_url (companies 0050), at least as strict: an absolute
# http(s) URL with a host, no whitespace or control characters (C0, DEL, C1).
_URL_BAD = r"\s\x00-\x1f\x7f-\x9f"
http_url_validator = RegexValidator(
    rf"^https?://[^{_URL_BAD}/?#@\\]+([/?#][^{_URL_BAD}]*)?\Z",
    flags=re.IGNORECASE,
    message="Enter an http:// or https:// URL.",
)


def barton_default(prefix: str) -> models.Func:
    """``DEFAULT public.generate_barton_id('<prefix>')`` as a Django expression."""
    return models.Func(
        models.Value(prefix), function="public.generate_barton_id", output_field=models.TextField()
    )


def barton_pattern(prefix: str) -> str:
    return "^" + prefix.replace(".", r"\.") + r"\.[0-9]{2}\.[0-9]{5}\.[0-9]{3}$"


def created_at():
    return models.DateTimeField(db_default=Now(), editable=False)


def updated_at():
    return models.DateTimeField(db_default=Now(), editable=False)


def jsonb_default(value) -> models.Value:
    """A jsonb constant usable as ``db_default`` (``'{}'::jsonb``, ``'[]'::jsonb``)."""
    return models.Value(value, models.JSONField())
