"""Read-side queries of the people app: lists, the person page, the pair compare, merge defaults.

Every function costs a fixed number of queries whatever the data size.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from companies.models import CompanySlot
from marketing.models import CampaignContact, MessageLog
from people.models import Contact, ContactVerification, MergeLog, PersonHistory, ResolutionQueue

MERGE_FIELDS = (
    "full_name",
    "first_name",
    "last_name",
    "email",
    "title",
    "company_id",
    "phone",
    "work_phone_e164",
    "personal_phone_e164",
    "linkedin_url",
    "profile_source_url",
    "twitter_url",
    "facebook_url",
    "location",
    "seniority",
    "department",
    "education",
    "bio",
)

FIELD_LABELS = {
    "full_name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "E-mail",
    "title": "Title",
    "company_id": "Company",
    "phone": "Phone",
    "work_phone_e164": "Work phone",
    "personal_phone_e164": "Personal phone",
    "linkedin_url": "LinkedIn",
    "profile_source_url": "Profile source",
    "twitter_url": "Twitter",
    "facebook_url": "Facebook",
    "location": "Location",
    "seniority": "Seniority",
    "department": "Department",
    "education": "Education",
    "bio": "Bio",
}

SIMILAR_LIMIT = 8


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def contact_queryset():
    """People with employer and verification joined, for lists (one query per page)."""
    slots = CompanySlot.objects.filter(contact=OuterRef("pk"))
    return Contact.objects.select_related("company", "verification").annotate(
        has_slot=Exists(slots)
    )


def resolution_queryset():
    return ResolutionQueue.objects.select_related(
        "contact_primary",
        "contact_primary__company",
        "contact_duplicate",
        "contact_duplicate__company",
    )


def merge_log_queryset():
    return MergeLog.objects.select_related("survivor", "absorbed", "resolution")


def _facts(ids) -> dict[int, dict]:
    """Per person: verification status and time, profile check time, slots held."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.contact_id, coalesce(v.email_status, 'gray'), v.email_checked_at,
                   coalesce(c.last_profile_checked_at, c.enriched_at),
                   (SELECT count(*) FROM company.company_slot s WHERE s.contact_id = c.contact_id),
                   people.is_personal_email_domain(people.email_domain(c.email))
            FROM people.contact c
            LEFT JOIN people.contact_verification v ON v.contact_id = c.contact_id
            WHERE c.contact_id = ANY(%s)
            """,
            [list(ids)],
        )
        return {
            r[0]: {
                "email_status": r[1],
                "email_checked_at": r[2],
                "profile_checked_at": r[3],
                "slots": r[4],
                "personal_email": bool(r[5]),
            }
            for r in cursor.fetchall()
        }


def default_survivor(a_id: int, b_id: int) -> tuple[int, int]:
    """(survivor, absorbed) by default: green e-mail, then more slots, then checked more
    recently, then the older record."""
    facts = _facts([a_id, b_id])

    def rank(pid):
        f = facts.get(pid, {})
        checked = f.get("email_checked_at")
        return (
            f.get("email_status") == "green",
            f.get("slots", 0),
            checked.timestamp() if checked else 0,
            -pid,
        )

    first, second = sorted([a_id, b_id], key=rank, reverse=True)
    return first, second


def merge_defaults(*, survivor_id: int, absorbed_id: int) -> dict[str, str]:
    """Default side ("survivor"/"absorbed") per field: non-empty first; for the e-mail the green
    one, then the work address over a personal one; otherwise the more recently verified."""
    rows = {
        c["contact_id"]: c
        for c in Contact.objects.filter(pk__in=[survivor_id, absorbed_id]).values(
            "contact_id", *MERGE_FIELDS
        )
    }
    facts = _facts([survivor_id, absorbed_id])
    s, a = rows[survivor_id], rows[absorbed_id]
    fs, fa = facts[survivor_id], facts[absorbed_id]

    def recent(f):
        times = [t for t in (f["email_checked_at"], f["profile_checked_at"]) if t]
        return max(times) if times else None

    absorbed_fresher = bool(recent(fa)) and (not recent(fs) or recent(fa) > recent(fs))
    choices = {}
    for name in MERGE_FIELDS:
        sv, av = s[name], a[name]
        if _empty(av) or sv == av:
            side = "survivor"
        elif _empty(sv):
            side = "absorbed"
        elif name == "email":
            s_green, a_green = fs["email_status"] == "green", fa["email_status"] == "green"
            if s_green != a_green:
                side = "absorbed" if a_green else "survivor"
            elif fs["personal_email"] != fa["personal_email"]:
                side = "absorbed" if fs["personal_email"] else "survivor"
            else:
                side = "absorbed" if absorbed_fresher else "survivor"
        else:
            side = "absorbed" if absorbed_fresher else "survivor"
        choices[name] = side
    return choices


def is_unambiguous(evidence: dict) -> bool:
    """The bulk-mergeable class: same normalised e-mail and the same (normalised) name."""
    return (evidence or {}).get("email", {}).get("result") == "equal" and (evidence or {}).get(
        "name", {}
    ).get("result") == "equal"


def pair_compare(pair: ResolutionQueue, survivor_id: int | None = None) -> dict:
    """Side-by-side rows for a pair: one row per field with both values, whether they differ
    and the default side; plus who survives by default and the two people's facts."""
    a_id, b_id = pair.contact_primary_id, pair.contact_duplicate_id
    if survivor_id in (a_id, b_id):
        absorbed_id = b_id if survivor_id == a_id else a_id
    else:
        survivor_id, absorbed_id = default_survivor(a_id, b_id)
    people = {
        c.pk: c
        for c in Contact.objects.filter(pk__in=[a_id, b_id]).select_related(
            "company", "verification"
        )
    }
    survivor, absorbed = people[survivor_id], people[absorbed_id]
    defaults = merge_defaults(survivor_id=survivor_id, absorbed_id=absorbed_id)
    rows = []
    for name in MERGE_FIELDS:
        if name == "company_id":
            sv = survivor.company.company_name if survivor.company else None
            av = absorbed.company.company_name if absorbed.company else None
            differs = survivor.company_id != absorbed.company_id
        else:
            sv, av = getattr(survivor, name), getattr(absorbed, name)
            differs = sv != av
        if _empty(sv) and _empty(av):
            continue
        rows.append(
            {
                "name": name,
                "label": FIELD_LABELS[name],
                "survivor": sv,
                "absorbed": av,
                "differs": differs,
                "default": defaults[name],
                "choosable": differs and not _empty(av),
            }
        )
    facts = _facts([survivor_id, absorbed_id])
    return {
        "survivor": survivor,
        "absorbed": absorbed,
        "rows": rows,
        "facts_survivor": facts[survivor_id],
        "facts_absorbed": facts[absorbed_id],
    }


def similar_people(contact: Contact, limit: int = SIMILAR_LIMIT):
    """Live people whose lower(full_name) is trigram-similar (uses the GIN trigram index)."""
    return list(
        Contact.objects.raw(
            """
            SELECT c.contact_id, c.full_name, c.email, c.company_id,
                   similarity(lower(c.full_name), lower(%s)) AS similarity
            FROM people.contact c
            WHERE lower(c.full_name) %% lower(%s) AND c.contact_id <> %s AND c.status <> 'merged'
            ORDER BY similarity DESC, c.contact_id
            LIMIT %s
            """,
            [contact.full_name, contact.full_name, contact.pk, limit],
        ).prefetch_related("company")
    )


def contact_detail(contact: Contact) -> dict:
    """Everything the person page shows, each list bounded."""
    return {
        "slots": list(
            CompanySlot.objects.filter(contact=contact)
            .select_related("company")
            .order_by("company__company_name", "role_code")
        ),
        "campaigns": list(
            CampaignContact.objects.filter(contact=contact)
            .select_related("campaign")
            .order_by("-campaign_contact_id")[:50]
        ),
        "messages": list(
            MessageLog.objects.filter(contact=contact)
            .select_related("campaign")
            .order_by("-message_log_id")[:50]
        ),
        "history": list(PersonHistory.objects.filter(contact_id=contact.pk)[:100]),
        "verification": ContactVerification.objects.filter(contact=contact).first(),
        "similar": similar_people(contact),
        "merges": list(
            MergeLog.objects.filter(Q(survivor=contact) | Q(absorbed=contact)).select_related(
                "survivor", "absorbed"
            )[:20]
        ),
        "open_pairs": ResolutionQueue.objects.filter(
            Q(contact_primary=contact) | Q(contact_duplicate=contact),
            resolution_status__in=["pending", "deferred"],
        ).count(),
    }


def queue_counts() -> dict[str, int]:
    return dict(ResolutionQueue.objects.values_list("resolution_status").annotate(n=Count("pk")))


def next_pending_id(after: ResolutionQueue | None) -> int | None:
    """The next pending pair in queue order (score desc, id) after ``after``."""
    qs = ResolutionQueue.objects.filter(resolution_status="pending")
    if after is not None:
        qs = qs.exclude(pk=after.pk).filter(
            Q(score__lt=after.score) | Q(score=after.score, pk__gt=after.pk)
        )
    return qs.order_by("-score", "pk").values_list("pk", flat=True).first()
