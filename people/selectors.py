"""Read-side queries of the people app: lists, the person page, the pair compare, merge defaults.

Every function costs a fixed number of queries whatever the data size.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from outreach_admin.dates import format_date
from outreach_admin.db import json_rows
from people.models import Contact, MergeLog, PersonFieldProvenance, ResolutionQueue

NAME_FIELDS = ("full_name", "first_name", "last_name")
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
    """People with employer and verification joined, for lists (one query per page).

    ``has_slot`` is an EXISTS over the slots pointing at the person, reached through the reverse
    relation ``Contact.slots`` (people sits below companies and does not import it).
    """
    slots = Contact.slots.field.model.objects.filter(contact=OuterRef("pk"))
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
    """Default side ("survivor"/"absorbed") per field (:func:`merge_defaults_explained`)."""
    explained = merge_defaults_explained(survivor_id=survivor_id, absorbed_id=absorbed_id)
    return {name: side for name, (side, _why) in explained.items()}


def merge_defaults_explained(*, survivor_id: int, absorbed_id: int) -> dict[str, tuple[str, str]]:
    """Default side ("survivor"/"absorbed") per field and why, in words: non-empty first; for
    the e-mail the green one, then the work address over a personal one; for a name the more
    complete (longer: "Katherine" over "Kate", "John Smith" over "J. Smith"); otherwise the
    record verified or checked more recently (the survivor's when neither is newer)."""
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
    survivor_fresher = bool(recent(fs)) and (not recent(fa) or recent(fs) > recent(fa))

    def by_recency():
        if absorbed_fresher:
            return "absorbed", "checked more recently"
        if survivor_fresher:
            return "survivor", "checked more recently"
        return "survivor", "the survivor's (neither was checked more recently)"

    choices = {}
    for name in MERGE_FIELDS:
        sv, av = s[name], a[name]
        if sv == av or (_empty(av) and _empty(sv)):
            pick = ("survivor", "the same on both")
        elif _empty(av):
            pick = ("survivor", "the only value")
        elif _empty(sv):
            pick = ("absorbed", "the only value")
        elif name == "email":
            s_green, a_green = fs["email_status"] == "green", fa["email_status"] == "green"
            if s_green != a_green:
                pick = ("absorbed" if a_green else "survivor", "verified (green)")
            elif fs["personal_email"] != fa["personal_email"]:
                pick = ("absorbed" if fs["personal_email"] else "survivor", "work, not personal")
            else:
                pick = by_recency()
        elif name in NAME_FIELDS and len(av.strip()) != len(sv.strip()):
            side = "absorbed" if len(av.strip()) > len(sv.strip()) else "survivor"
            pick = (side, "more complete")
        else:
            pick = by_recency()
        choices[name] = pick
    return choices


def field_sources(records: list[Contact]) -> dict[tuple[int, str], str]:
    """Where each current value of ``records`` came from, in words, per (person, field): the
    promotion that last set it ("apollo · load #12 · 2026-03-01", ``people.field_provenance``)
    when that value is still the one stored, else the record's own source ("manual record").
    One query."""
    latest: dict[tuple[int, str], object] = {}
    rows = (
        PersonFieldProvenance.objects.filter(
            contact_id__in=[r.pk for r in records], outcome="applied"
        )
        .order_by("contact_id", "field", "-set_at", "-provenance_id")
        .distinct("contact_id", "field")
    )
    for row in rows:
        latest[(row.contact_id, row.field)] = row
    out = {}
    for record in records:
        fallback = f"{record.source_system or 'unknown'} record"
        for name in MERGE_FIELDS:
            value = getattr(record, name)
            row = latest.get((record.pk, name))
            if row is not None and str(row.value) == str(value):
                parts = [row.source]
                if row.load_id:
                    parts.append(f"load #{row.load_id}")
                parts.append(format_date(row.set_at))
                out[(record.pk, name)] = " · ".join(parts)
            else:
                out[(record.pk, name)] = fallback
    return out


# people.detect_duplicates' evidence "rules", in words; and the rule a pair's conflict type
# implies, for pairs queued without rules (older rows, hand-made ones).
RULE_WORDS = {
    "same_email": "same e-mail",
    "same_linkedin": "same LinkedIn profile",
    "same_phone": "same phone",
    "similar_name_same_company": "similar name, same company",
    "similar_name_same_domain": "similar name, same e-mail domain",
}
CONFLICT_RULE = {
    "email": "same_email",
    "linkedin": "same_linkedin",
    "phone": "same_phone",
    "name_company": "similar_name_same_company",
    "name_similar": "similar_name_same_domain",
}


def match_reasons(pair: ResolutionQueue) -> list[str]:
    """Why the pair was queued, in words: its evidence rules, else its conflict type's rule."""
    rules = (pair.evidence or {}).get("rules") if isinstance(pair.evidence, dict) else None
    if not rules:
        rules = [CONFLICT_RULE.get(pair.conflict_type, pair.conflict_type)]
    return [RULE_WORDS.get(rule, str(rule).replace("_", " ")) for rule in rules]


EVIDENCE_FIELDS = {
    "name": "name",
    "email": "e-mail",
    "email_domain": "e-mail domain",
    "company": "company",
    "linkedin": "LinkedIn",
    "phone": "phone",
}
EVIDENCE_RESULTS = {"equal": "same", "similar": "similar", "different": "differs"}


def pair_evidence(evidence) -> str:
    """The detector's per-field evidence in words, fields in a fixed order, missing values
    left out: "name similar · e-mail differs · company same"."""
    if not isinstance(evidence, dict):
        return ""
    parts = []
    for key, label in EVIDENCE_FIELDS.items():
        item = evidence.get(key)
        result = item.get("result") if isinstance(item, dict) else None
        if result in EVIDENCE_RESULTS:
            parts.append(f"{label} {EVIDENCE_RESULTS[result]}")
    return " · ".join(parts)


def is_unambiguous(evidence: dict) -> bool:
    """The bulk-mergeable class: same normalised e-mail and the same (normalised) name."""
    return (evidence or {}).get("email", {}).get("result") == "equal" and (evidence or {}).get(
        "name", {}
    ).get("result") == "equal"


def pair_compare(pair: ResolutionQueue, survivor_id: int | None = None) -> dict:
    """Side-by-side rows for a pair: one row per field with both values, where each comes from
    (:func:`field_sources`), whether they differ, the default side and why; plus who survives
    by default and the two people's facts."""
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
    defaults = merge_defaults_explained(survivor_id=survivor_id, absorbed_id=absorbed_id)
    sources = field_sources([survivor, absorbed])
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
                "default": defaults[name][0],
                "why": defaults[name][1],
                "survivor_source": None if _empty(sv) else sources[(survivor_id, name)],
                "absorbed_source": None if _empty(av) else sources[(absorbed_id, name)],
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


SIMILAR_SQL = """
SELECT s.contact_id, s.full_name, s.email, s.company_id, co.company_name, s.similarity
FROM (
    SELECT c.contact_id, c.full_name, c.email, c.company_id,
           similarity(lower(c.full_name), lower(%(name)s)) AS similarity
    FROM people.contact c
    WHERE c.status <> 'merged' AND c.contact_id <> %(id)s
      AND (split_part(lower(btrim(c.full_name)), ' ', -1) LIKE %(last_prefix)s
           OR (split_part(lower(btrim(c.full_name)), ' ', 1) = %(first)s
               AND left(split_part(lower(btrim(c.full_name)), ' ', -1), 1) = %(last_initial)s))
      AND similarity(lower(c.full_name), lower(%(name)s)) >= %(threshold)s
    ORDER BY similarity DESC, c.contact_id
    LIMIT %(limit)s
) s
LEFT JOIN company.company co ON co.company_id = s.company_id
ORDER BY s.similarity DESC, s.contact_id
"""
SIMILAR_THRESHOLD = 0.3


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def similar_people(contact: Contact, limit: int = SIMILAR_LIMIT) -> list[dict]:
    """Live people whose name is trigram-similar (>= 0.3) to ``contact``'s, most similar first.

    One query. Ranking every name by trigram costs a scan of the GIN posting lists of each
    trigram (27 ms p95 at 50k people, growing with the table), so candidates come from two
    btree name keys (migration people 0006): the same last-name prefix (4 letters, catches
    typos and suffixes) or the same first name with the same last-name initial.
    """
    name = " ".join((contact.full_name or "").lower().split())
    if not name:
        return []
    parts = name.split(" ")
    with connection.cursor() as cursor:
        cursor.execute(
            SIMILAR_SQL,
            {
                "name": contact.full_name,
                "id": contact.pk,
                "last_prefix": _like_prefix(parts[-1][:4]),
                "first": parts[0],
                "last_initial": parts[-1][:1],
                "threshold": SIMILAR_THRESHOLD,
                "limit": limit,
            },
        )
        return [
            {
                "pk": r[0],
                "full_name": r[1],
                "email": r[2],
                "company_id": r[3],
                "company": {"company_name": r[4]} if r[3] else None,
                "similarity": r[5],
            }
            for r in cursor.fetchall()
        ]


# Every list of the person page except the timeline, the lineage and similar names, in one
# statement (one jsonb array per panel, each cut to its limit on its own index). Keys mirror
# the model attributes the template reads (``m.campaign.name``, ``s.company.company_name``).
PERSON_PANELS_SQL = """
SELECT
  (SELECT count(*) FROM people.resolution_queue q
   WHERE (q.contact_primary_id = %(id)s OR q.contact_duplicate_id = %(id)s)
     AND q.resolution_status IN ('pending', 'deferred')) AS open_pairs,
  (SELECT coalesce(jsonb_agg(jsonb_build_object(
              'pk', s.company_slot_id, 'role_code', s.role_code, 'company_id', s.company_id,
              'company', jsonb_build_object('company_name', c.company_name))
              ORDER BY c.company_name, s.role_code), '[]')
   FROM company.company_slot s JOIN company.company c ON c.company_id = s.company_id
   WHERE s.contact_id = %(id)s) AS slots,
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.k DESC), '[]') FROM (
      SELECT cc.campaign_contact_id AS k, jsonb_build_object(
                 'pk', cc.campaign_contact_id, 'status', cc.status, 'role_code', cc.role_code,
                 'campaign', jsonb_build_object('pk', ca.campaign_id, 'name', ca.name)) AS j
      FROM marketing.campaign_contact cc
      JOIN marketing.campaign ca ON ca.campaign_id = cc.campaign_id
      WHERE cc.contact_id = %(id)s
      ORDER BY cc.campaign_contact_id DESC LIMIT 50) x) AS campaigns,
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.k DESC), '[]') FROM (
      SELECT m.message_log_id AS k, jsonb_build_object(
                 'pk', m.message_log_id, 'sent_at', m.sent_at, 'direction', m.direction,
                 'channel', m.channel, 'subject', m.subject,
                 'campaign', CASE WHEN ca.campaign_id IS NOT NULL
                                  THEN jsonb_build_object('pk', ca.campaign_id,
                                                          'name', ca.name) END) AS j
      FROM marketing.message_log m
      LEFT JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
      WHERE m.contact_id = %(id)s
      ORDER BY m.message_log_id DESC LIMIT 50) x) AS messages,
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.at DESC, x.k DESC), '[]') FROM (
      SELECT h.changed_at AS at, h.history_id AS k, jsonb_build_object(
                 'pk', h.history_id, 'changed_at', h.changed_at, 'table_name', h.table_name,
                 'action', h.action, 'changed_by', h.changed_by,
                 'changed_fields', h.changed_fields) AS j
      FROM people.history h
      WHERE h.contact_id = %(id)s
      ORDER BY h.changed_at DESC, h.history_id DESC LIMIT 100) x) AS history,
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.at DESC, x.k), '[]') FROM (
      SELECT ml.merged_at AS at, ml.merge_id AS k, jsonb_build_object(
                 'pk', ml.merge_id, 'merged_by', ml.merged_by, 'merged_at', ml.merged_at,
                 'undone_at', ml.undone_at,
                 'survivor', jsonb_build_object('pk', s.contact_id, 'full_name', s.full_name),
                 'absorbed', jsonb_build_object('pk', a.contact_id, 'full_name', a.full_name))
                 AS j
      FROM people.merge_log ml
      JOIN people.contact s ON s.contact_id = ml.survivor_id
      JOIN people.contact a ON a.contact_id = ml.absorbed_id
      WHERE ml.survivor_id = %(id)s OR ml.absorbed_id = %(id)s
      ORDER BY ml.merged_at DESC, ml.merge_id LIMIT 20) x) AS merges
"""
_PANEL_TIMES = ("sent_at", "changed_at", "merged_at", "undone_at")


def contact_detail(contact: Contact) -> dict:
    """Everything the person page shows besides its timeline and lineage, each list bounded:
    two queries whatever the person's history (the panels, and similar names). The
    verification comes with ``contact`` (select_related by the view)."""
    with connection.cursor() as cursor:
        cursor.execute(PERSON_PANELS_SQL, {"id": contact.pk})
        open_pairs, slots, campaigns, messages, history, merges = cursor.fetchone()
    return {
        "slots": json_rows(slots, _PANEL_TIMES),
        "campaigns": json_rows(campaigns, _PANEL_TIMES),
        "message_rows": json_rows(messages, _PANEL_TIMES),
        "history": json_rows(history, _PANEL_TIMES),
        "verification": getattr(contact, "verification", None),
        "similar": similar_people(contact),
        "merges": json_rows(merges, _PANEL_TIMES),
        "open_pairs": open_pairs,
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
