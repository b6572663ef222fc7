"""What one promotion did, in words: read from its audit row's ``details.result`` (written by
vault.f_promote_contacts v3/v4) and resolved to names and links for the batch page and
``manage.py promote``. Each list is bounded (``limit`` shown, "and N more"). A cleared slot
names the person taken out of it and why ("moved to Globex Ltd", v4's ``cleared_detail``)."""

from __future__ import annotations

from companies.models import Company, CompanySlot
from intake.models import AuditLog
from people.models import Contact

LIMIT = 50


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _section(ids: list, names: dict, kind: str, limit: int) -> dict:
    shown = [{"id": i, "name": names.get(i, f"#{i}"), "kind": kind} for i in ids[:limit]]
    return {"count": len(ids), "items": shown, "more": max(len(ids) - limit, 0)}


def promotion_summary(audit_log_id: int, limit: int = LIMIT) -> dict | None:
    """The promotion's people, companies and slots by outcome, first ``limit`` of each with
    names (three name queries at most, one per kind), and plain sentences with the counts
    (people created + updated + unchanged = people reached; loads promoted + failed =
    loads processed). ``None`` when the audit row has no detailed result (older promotions)."""
    row = AuditLog.objects.filter(pk=audit_log_id, action="batch_promoted").first()
    result = (row.details or {}).get("result") if row else None
    if not result:
        return None
    people, companies = result.get("people", {}), result.get("companies", {})
    slots = result.get("slots", {})
    person_ids = {i for k in ("created", "updated", "unchanged") for i in people.get(k, [])[:limit]}
    company_ids = {
        i for k in ("created", "updated", "unchanged") for i in companies.get(k, [])[:limit]
    }
    slot_ids = {i for k in ("filled", "cleared") for i in slots.get(k, [])[:limit]}
    cleared_detail = {d["slot_id"]: d for d in slots.get("cleared_detail", [])}
    person_ids |= {
        d["contact_id"]
        for i in slots.get("cleared", [])[:limit]
        if (d := cleared_detail.get(i)) and d.get("contact_id")
    }
    person_names = (
        dict(
            (pk, f"{name} <{email}>" if email and email != name else name)
            for pk, name, email in Contact.objects.filter(pk__in=person_ids).values_list(
                "pk", "full_name", "email"
            )
        )
        if person_ids
        else {}
    )
    company_names = (
        dict(Company.objects.filter(pk__in=company_ids).values_list("pk", "company_name"))
        if company_ids
        else {}
    )
    slot_rows = (
        {
            s.pk: s
            for s in CompanySlot.objects.filter(pk__in=slot_ids)
            .select_related("company", "contact")
            .only("role_code", "company__company_name", "contact__full_name")
        }
        if slot_ids
        else {}
    )
    summary = {
        "people": {
            k: _section(people.get(k, []), person_names, "person", limit)
            for k in ("created", "updated", "unchanged")
        },
        "companies": {
            k: _section(companies.get(k, []), company_names, "company", limit)
            for k in ("created", "updated", "unchanged")
        },
        "people_failed": _failed(people.get("failed", []), limit),
        "companies_failed": _failed(companies.get("failed", []), limit),
        "slots": {
            "filled": _slot_section(slots.get("filled", []), slot_rows, limit),
            "cleared": _slot_section(
                slots.get("cleared", []), slot_rows, limit, cleared_detail, person_names
            ),
        },
        "loads": result.get("loads", {}),
        "fields_rejected": result.get("fields_rejected", 0),
        "invalid_phones": result.get("invalid_phones", 0),
    }
    summary["sentences"] = summary_sentences(summary)
    return summary


def _failed(emails: list, limit: int) -> dict:
    return {"count": len(emails), "items": emails[:limit], "more": max(len(emails) - limit, 0)}


def _slot_section(
    ids: list, rows: dict, limit: int, cleared: dict | None = None, names: dict | None = None
) -> dict:
    """Slots with their company and person. A filled slot names its holder; a cleared one
    (``cleared``: v4's detail by slot id) names the person taken out and the reason, not
    whoever holds the slot now."""
    items = []
    for i in ids[:limit]:
        s = rows.get(i)
        item = {
            "id": i,
            "role_code": s.role_code if s else "?",
            "company_id": s.company_id if s else None,
            "company_name": s.company.company_name if s else f"slot #{i}",
            "contact_id": s.contact_id if s else None,
            "person_name": s.contact.full_name if s and s.contact else None,
            "reason": None,
        }
        if cleared is not None:
            d = cleared.get(i) or {}
            contact_id = d.get("contact_id")
            item["contact_id"] = contact_id
            item["person_name"] = (names or {}).get(contact_id) if contact_id else None
            item["reason"] = d.get("reason")
        items.append(item)
    return {"count": len(ids), "items": items, "more": max(len(ids) - limit, 0)}


def summary_sentences(summary: dict) -> list[str]:
    """Plain sentences with the counts of a :func:`promotion_summary`."""
    loads = summary["loads"]
    p, c = summary["people"], summary["companies"]
    p_total = sum(p[k]["count"] for k in p)
    c_total = sum(c[k]["count"] for k in c)
    out = [
        f"{_plural(loads.get('processed', 0), 'row')} processed: "
        f"{loads.get('promoted', 0)} promoted, {loads.get('failed', 0)} failed "
        "(no valid e-mail address)."
        if loads.get("failed")
        else f"{_plural(loads.get('processed', 0), 'row')} processed, all promoted.",
        f"People: {p_total} reached — {p['created']['count']} created, "
        f"{p['updated']['count']} updated, {p['unchanged']['count']} already up to date"
        + (
            f"; {summary['people_failed']['count']} could not be promoted."
            if summary["people_failed"]["count"]
            else "."
        ),
        f"Companies: {c_total} reached — {c['created']['count']} created, "
        f"{c['updated']['count']} updated, {c['unchanged']['count']} already up to date"
        + (
            f"; {summary['companies_failed']['count']} could not be created."
            if summary["companies_failed"]["count"]
            else "."
        ),
        f"Slots: {summary['slots']['filled']['count']} filled, "
        f"{summary['slots']['cleared']['count']} cleared.",
    ]
    if summary.get("invalid_phones"):
        out.append(
            f"{_plural(summary['invalid_phones'], 'phone number')} offered "
            f"{'was' if summary['invalid_phones'] == 1 else 'were'} not valid and not stored "
            "(the raw value stays on the load) — see the record pages' field provenance."
        )
    if summary["fields_rejected"]:
        out.append(
            f"{_plural(summary['fields_rejected'], 'vendor value')} kept out by the survivorship "
            "rule (a coordinator's edit or a newer/trusted source kept) — see the record pages' "
            "field provenance."
        )
    return out
