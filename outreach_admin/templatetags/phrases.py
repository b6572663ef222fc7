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


# History rows name database columns; pages name what a coordinator sees. Keys and bookkeeping
# columns (ids, stamps the database keeps) are left out of "changed …" lists.
HISTORY_HIDDEN = frozenset(
    {
        "contact_id",
        "company_slot_id",
        "history_id",
        "unique_id",
        "created_at",
        "updated_at",
        "enriched_at",
        "merged_into_id",
        "promoted_from_intake_at",
        "source_record_id",
        "last_profile_checked_at",
        "email_checked_at",
        "filled_at",
        "version",
    }
)
FIELD_LABELS = {
    "email": "e-mail",
    "email_status": "e-mail status",
    "email_confidence": "e-mail confidence",
    "email_source_url": "e-mail source",
    "company_id": "employer",
    "company_name": "name",
    "full_name": "name",
    "linkedin_url": "LinkedIn",
    "facebook_url": "Facebook",
    "twitter_url": "Twitter",
    "work_phone_e164": "work phone",
    "personal_phone_e164": "personal phone",
    "website_url": "website",
    "profile_source_url": "profile source",
    "source_system": "source",
    "renewal_month": "renewal month",
    "renewal_notice_days": "notice window",
    "next_renewal_date": "next renewal date",
    "employee_count": "employees",
}
HISTORY_SUBJECTS = {
    "contact": "the person",
    "contact_verification": "the e-mail verification",
    "company": "the company",
    "company_slot": "the slot",
}


def _field_label(column: str) -> str:
    if column in FIELD_LABELS:
        return FIELD_LABELS[column]
    return _label(column.removesuffix("_id").removesuffix("_e164"))


@register.filter
def field_list(columns) -> str:
    """``["title", "email", "updated_at"]`` as "title and e-mail" (bookkeeping left out)."""
    labels = []
    for column in columns or ():
        label = _field_label(str(column))
        if str(column) not in HISTORY_HIDDEN and label not in labels:
            labels.append(label)
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


@register.filter
def history_change(row) -> str:
    """What a history row did, in words: "created the person", "changed title and e-mail of
    the person", "deleted the e-mail verification". ``row`` is a dict or an object with
    ``table_name``, ``action`` and ``changed_fields``."""

    def get(key):
        return row.get(key) if isinstance(row, dict) else getattr(row, key, None)

    table = str(get("table_name") or "")
    subject = HISTORY_SUBJECTS.get(table, f"the {_label(table)}" if table else "the record")
    action = str(get("action") or "").lower()
    if action == "insert":
        return f"created {subject}"
    if action == "delete":
        return f"deleted {subject}"
    fields = field_list(get("changed_fields"))
    return f"changed {fields} of {subject}" if fields else f"updated {subject}"
