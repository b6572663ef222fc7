"""Counts and details dicts (audit rows, pipeline runs) as plain words for pages:
``{"rows": 5, "pending": 3, "db_user": "outreach_app"}`` reads "5 rows · 3 pending", not
"rows=5 pending=3 db_user=outreach_app". Keys that only matter to developers (the database
login, id lists) are left out; the admin and exports keep the stored dict."""

from __future__ import annotations

from django import template

register = template.Library()

HIDDEN = frozenset({"db_user", "load_ids", "requested_load_ids", "audit_log_id"})


def _label(key: str) -> str:
    return str(key).replace("_", " ").strip()


@register.filter
def counts_phrase(value) -> str:
    """The dict as "3 promoted · 1 failed · source apollo"; other values as their text."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    parts = []
    for key, item in value.items():
        if key in HIDDEN or item is None or item == "" or isinstance(item, (list, dict)):
            continue
        if isinstance(item, bool):
            parts.append(f"{_label(key)}: {'yes' if item else 'no'}")
        elif isinstance(item, (int, float)):
            label = _label(key)
            if item == 1 and label.endswith("s") and not label.endswith("ss"):
                label = label[:-1]
            parts.append(f"{item:,} {label}")
        else:
            parts.append(f"{_label(key)} {item}")
    return " · ".join(parts)
