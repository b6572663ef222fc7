"""Field provenance of a person for the record page's panel (rows written by
vault.f_promote_contacts v3/v4 into people.field_provenance; rule in docs/SURVIVORSHIP.md).
v4 also records a phone the intake boundary refused (not a valid number; the raw value stays on
the load) as a refused offer with the reason :data:`INVALID_PHONE_REASON`; the panel shows it as
"Mobile phone offered by apollo was not a valid number: “07700 900123” (not stored)"."""

from __future__ import annotations

from people.models import PersonFieldProvenance


def person_field_provenance(contact_id: int) -> list[dict]:
    """One row per field: the value, source, load, batch, actor and time of the promotion that
    last set it (``None`` values when no promotion has), plus the vendor values refused since then
    (``rejected``: value, source, load, reason), fields in alphabetical order. One query."""
    return provenance_panel(PersonFieldProvenance.objects.filter(contact_id=contact_id))


# The reasons vault.f_promote_contacts v4 gives a refused phone: the intake boundary found no
# valid number (its c_invalid_phone), or a raw row without "_norm" held a phone not already in
# E.164 form, which the SQL fallback does not judge (c_unchecked_phone).
INVALID_PHONE_REASON = "not a valid phone number (not stored)"
UNCHECKED_PHONE_REASON = "not checked as a phone number (not stored)"

LABELS = {"company_id": "Employer", "personal_phone_e164": "Mobile phone"}


def field_label(field: str) -> str:
    """``work_phone_e164`` -> ``Work phone``: the column name as a coordinator reads it."""
    if field in LABELS:
        return LABELS[field]
    words = field.removesuffix("_e164").replace("_url", "").replace("_", " ").strip()
    words = words.replace("linkedin", "LinkedIn").replace("email", "e-mail")
    return words[:1].upper() + words[1:]


def provenance_panel(rows) -> list[dict]:
    """Group provenance rows (newest first) into the panel's per-field entries."""
    panel: dict[str, dict] = {}
    for row in rows.order_by("field", "-set_at", "-provenance_id"):
        entry = panel.setdefault(
            row.field,
            {"field": row.field, "label": field_label(row.field), "last_set": None, "rejected": []},
        )
        item = {
            "value": row.value,
            "source": row.source,
            "load_id": row.load_id,
            "batch_id": row.batch_id,
            "reason": row.reason,
            "set_by": row.set_by,
            "set_at": row.set_at,
            "invalid": row.outcome == "rejected"
            and row.reason in (INVALID_PHONE_REASON, UNCHECKED_PHONE_REASON),
            "unchecked": row.reason == UNCHECKED_PHONE_REASON,
        }
        if row.outcome == "applied":
            entry["last_set"] = entry["last_set"] or item
        elif entry["last_set"] is None:
            entry["rejected"].append(item)
    for entry in panel.values():
        # no value was ever stored, only offers that were not valid numbers: nothing by hand
        entry["invalid_only"] = entry["last_set"] is None and all(
            r["invalid"] for r in entry["rejected"]
        )
    return list(panel.values())
