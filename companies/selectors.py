"""Read paths for companies and slots: list querysets, the open-slot queue, candidates, coverage.

Everything a list shows is computed in SQL with a fixed number of queries per page:
renewal dates via ``company.next_renewal_date`` (the single definition), candidates via
``company.slot_candidates`` (migration 0004, the single ranking), slot coverage via correlated
subqueries that Postgres evaluates only for the rows a page returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from companies.models import Company, CompanyHistory, CompanySlot
from outreach_admin.db import json_rows
from outreach_admin.fields import ROLE_CHOICES
from people.models import Contact, ContactVerification

STALE_STATUSES = ("bounced", "inactive", "unsubscribed", "merged")

# SQL fragments over the company row aliased by Django as "company"."company".
_C = '"company"."company"'
# company.next_renewal_date is the single definition, but calling it per row costs a function
# call (it has a SET clause, so it is never inlined) for every company while sorting the whole
# queue. Its value depends only on the month, so the twelve answers are computed once per query
# (an uncorrelated ARRAY subquery becomes an InitPlan) and looked up by month.
RENEWAL_BY_MONTH_SQL = (
    "(ARRAY(SELECT company.next_renewal_date(m, current_date)"
    " FROM generate_series(1, 12) AS m ORDER BY m))"
)
# The stored, indexed dates (migration 0006) when they are current; a row the daily roll-forward
# has not reached yet (stored date before today) falls back to the computed date.
_FRESH = f"{_C}.next_renewal_date >= current_date"
NEXT_RENEWAL_SQL = (
    f"(CASE WHEN {_FRESH} THEN {_C}.next_renewal_date"
    f" ELSE {RENEWAL_BY_MONTH_SQL}[{_C}.renewal_month] END)"
)
WINDOW_START_SQL = (
    f"(CASE WHEN {_FRESH} THEN {_C}.campaign_window_start"
    f" ELSE {RENEWAL_BY_MONTH_SQL}[{_C}.renewal_month] - {_C}.renewal_notice_window_days END)"
)
FILLED_SQL = (
    f"(SELECT count(s.contact_id) FROM company.company_slot s WHERE s.company_id = {_C}.company_id)"
)
_S = '"company"."company_slot"'
CANDIDATES_TEMPLATE = """(
    SELECT jsonb_build_object(
        'count', count(*),
        'top', (array_agg(jsonb_build_object(
            'contact_id', x.contact_id, 'full_name', x.full_name, 'title', x.title,
            'confidence', x.confidence, 'email_status', x.email_status,
            'explanation', x.explanation) ORDER BY x.rank))[1])
    FROM company.slot_candidates({slot_id}, NULL) x
    WHERE x.eligible)"""
CANDIDATES_SQL = CANDIDATES_TEMPLATE.format(slot_id=f"{_S}.company_slot_id")
# "Has candidates" over the whole queue: the same eligibility as company.slot_candidates (an
# active person linked by employer or email domain whose title classifies to the slot's role)
# computed once for all slots as a hashed set of (company, role) pairs, classifying each
# distinct title once (one set-based classify_titles call: per-title calls recompile every rule's
# pattern each time), instead of calling slot_candidates for each of 300k slots.
HAS_CANDIDATES_SQL = f"""({_S}.company_id, {_S}.role_code) IN (
    SELECT linked.company_id, k.role_code
    FROM (
        SELECT p.company_id, p.title FROM people.contact p
        WHERE p.status = 'active' AND p.company_id IS NOT NULL
        UNION
        SELECT c2.company_id, p.title FROM people.contact p
        JOIN company.company c2 ON c2.domain = lower(split_part(p.email, '@', 2))
        WHERE p.status = 'active'
    ) linked
    JOIN (
        SELECT r.title, r.role_code
        FROM company.classify_titles(
            ARRAY(SELECT DISTINCT title FROM people.contact WHERE status = 'active')) r
        WHERE r.role_code IS NOT NULL
    ) k ON k.title = linked.title)"""


def _renewal_annotations() -> dict:
    return {
        "next_renewal": RawSQL(NEXT_RENEWAL_SQL, [], output_field=DateField()),
        "window_start": RawSQL(WINDOW_START_SQL, [], output_field=DateField()),
    }


def stale_q(prefix: str = "") -> Q:
    """Slots whose person left (works elsewhere now) or cannot be reached (status)."""
    return Q(**{f"{prefix}contact__status__in": STALE_STATUSES}) | (
        Q(**{f"{prefix}contact__company__isnull": False})
        & ~Q(**{f"{prefix}contact__company_id": F(f"{prefix}company_id")})
    )


def green_exists() -> Exists:
    """True when the (outer) company has an active person with a green email."""
    return Exists(
        ContactVerification.objects.filter(
            contact__company_id=OuterRef("company_id"),
            contact__status="active",
            email_status="green",
        )
    )


def company_list() -> QuerySet[Company]:
    """Companies with renewal dates and filled-slot count.

    The has-green flag is not annotated here: PostgreSQL plans that EXISTS as one hashed scan of
    every green person (0.5 s at 500k people) even when the page shows 50 rows; the list sets it
    for the page's rows only (``mark_green``), and the filter uses ``green_exists()``.
    """
    return Company.objects.annotate(
        **_renewal_annotations(),
        filled_count=RawSQL(FILLED_SQL, [], output_field=IntegerField()),
    )


def mark_green(companies) -> None:
    """Set ``has_green`` on each company of a page in one query."""
    companies = list(companies)
    green = set(
        ContactVerification.objects.filter(
            contact__company_id__in=[c.pk for c in companies],
            contact__status="active",
            email_status="green",
        ).values_list("contact__company_id", flat=True)
    )
    for c in companies:
        c.has_green = c.pk in green


def company_detail(pk: int) -> Company:
    return company_list().get(pk=pk)


def slot_states(slots) -> None:
    """Set ``state`` on each slot (one of the five board states), in place."""
    for s in slots:
        p = s.contact
        if p is None:
            s.state = "candidates" if (s.cand or {}).get("count") else "empty"
            continue
        email = getattr(getattr(p, "verification", None), "email_status", "gray")
        s.email_status = email
        if p.status in STALE_STATUSES:
            s.state = "stale"
            s.stale_reason = f"person is {p.status}"
        elif p.company_id is not None and p.company_id != s.company_id:
            s.state = "stale"
            s.stale_reason = "person works elsewhere now"
        elif email == "green":
            s.state = "filled-green"
        else:
            s.state = "filled-unverified"


def company_slots(company_id: int) -> list[CompanySlot]:
    """The company's three slots with their people and candidate summary, in one query.

    Candidates are ranked only for empty slots: a filled slot's board card shows its person,
    and ranking (title classification of everyone linked to the company) is the costly part.
    """
    slots = list(
        CompanySlot.objects.filter(company_id=company_id)
        .select_related("contact", "contact__verification", "contact__company")
        .annotate(
            cand=RawSQL(
                f"CASE WHEN {_S}.contact_id IS NULL THEN {CANDIDATES_SQL} END",
                [],
                output_field=JSONField(),
            )
        )
        .order_by("role_code")
    )
    slot_states(slots)
    return slots


def slot_queue() -> QuerySet[CompanySlot]:
    """Every empty or stale slot of an active company, most urgent renewal window first.

    Deliberately narrow (``only``): at 300k open slots the sort is the cost, and wide rows or a
    per-row candidate subquery in the same statement made Postgres pick a plan ~6x slower. The
    candidate summary of the rows actually shown comes from :func:`attach_candidates`.
    """
    return (
        CompanySlot.objects.filter(company__status="active")
        .filter(Q(contact__isnull=True) | stale_q())
        .select_related("company", "contact")
        .only(
            "company_slot_id",
            "company_id",
            "role_code",
            "contact_id",
            "company__company_name",
            "company__industry",
            "company__state_region",
            "company__renewal_month",
            "company__renewal_notice_window_days",
            "contact__full_name",
            "contact__status",
            "contact__company_id",
        )
        .annotate(
            window_start=RawSQL(WINDOW_START_SQL, [], output_field=DateField()),
            next_renewal=RawSQL(NEXT_RENEWAL_SQL, [], output_field=DateField()),
        )
        .order_by(F("window_start").asc(nulls_last=True), "company_id", "role_code")
    )


CANDIDATE_SUMMARY_SQL = """
    SELECT x.slot_id, jsonb_build_object(
        'count', count(*),
        'top', (array_agg(jsonb_build_object(
            'contact_id', x.contact_id, 'full_name', x.full_name, 'title', x.title,
            'confidence', x.confidence, 'email_status', x.email_status,
            'explanation', x.explanation) ORDER BY x.rank))[1])
    FROM company.slot_candidates_for(%s::bigint[], NULL) x
    WHERE x.eligible
    GROUP BY x.slot_id"""


def attach_candidates(slots) -> None:
    """Set ``cand`` ({count, top}, or None without eligible candidates) on each slot.

    One set-based query for the whole page over ``company.slot_candidates_for`` (the ranking
    ``slot_candidates`` wraps): the candidates of all slots are gathered together and their
    distinct titles classified in one ``classify_titles`` call (~20 ms for 50 slots at size S,
    where one ``slot_candidates`` call per slot cost ~1 s).
    """
    slots = list(slots)
    if not slots:
        return
    with connection.cursor() as cursor:
        cursor.execute(CANDIDATE_SUMMARY_SQL, [[x.pk for x in slots]])
        found = dict(cursor.fetchall())
    for x in slots:
        cand = found.get(x.pk)
        x.cand = json.loads(cand) if isinstance(cand, str) else cand


def has_candidates_expression() -> RawSQL:
    return RawSQL(HAS_CANDIDATES_SQL, [], output_field=BooleanField())


def next_open_slot_id(slot: CompanySlot) -> int | None:
    """The open slot after ``slot`` in queue order (wrapping to the first), or None.

    Queue order is (window_start NULLS LAST, company_id, role_code); "after" is the keyset
    condition on that tuple, so this costs one queue-page query, not a scan per row.
    """
    queue = slot_queue().exclude(pk=slot.pk)
    me = (
        Company.objects.filter(pk=slot.company_id)
        .annotate(**_renewal_annotations())
        .values_list("window_start", flat=True)
        .first()
    )
    same_company_later = Q(company_id=slot.company_id, role_code__gt=slot.role_code)
    if me is None:
        after = Q(window_start__isnull=True) & (
            Q(company_id__gt=slot.company_id) | same_company_later
        )
    else:
        after = (
            Q(window_start__gt=me)
            | Q(window_start__isnull=True)
            | Q(window_start=me, company_id__gt=slot.company_id)
            | (Q(window_start=me) & same_company_later)
        )
    found = queue.filter(after).values_list("pk", flat=True).first()
    return found or queue.values_list("pk", flat=True).first()


@dataclass(frozen=True)
class Candidate:
    rank: int
    contact_id: int
    full_name: str
    title: str | None
    email: str | None
    email_status: str
    contact_status: str
    at_company: bool
    role_code: str | None
    confidence: float
    eligible: bool
    explanation: str


def slot_candidates(slot: CompanySlot | int, limit: int = 20) -> list[Candidate]:
    """Ranked, explained candidates of a slot (one query over ``company.slot_candidates``).

    People employed at the company plus people whose email domain is the company's domain,
    without merged records and the slot's current person. Eligible (title fits the role, person
    active) first, then green email, then title confidence, then recency.
    """
    slot_id = slot if isinstance(slot, int) else slot.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rank, contact_id, full_name, title, email, email_status, contact_status,"
            " at_company, role_code, confidence, eligible, explanation"
            " FROM company.slot_candidates(%s, %s)",
            [slot_id, limit],
        )
        return [Candidate(*row[:9], float(row[9]), row[10], row[11]) for row in cursor.fetchall()]


def person_search(q: str, *, exclude_id: int | None = None, limit: int = 15) -> list[Contact]:
    """Find any live person by name or email (trigram-indexed name, lower(email) prefix)."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    qs = Contact.objects.exclude(status="merged").select_related("company", "verification")
    if "@" in q:
        qs = qs.filter(email__istartswith=q)
    else:
        qs = qs.filter(Q(full_name__icontains=q) | Q(email__istartswith=q))
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("full_name", "pk")[:limit])


COVERAGE_ROLES = [code for code, _ in ROLE_CHOICES]
# Active companies per (roles present, roles filled) bitmask pair (bit i = COVERAGE_ROLES[i], the
# order company.role_bit encodes): at most 64 rows of company.slot_coverage, kept by statement
# triggers on company and company_slot (companies 0090, issue 18) instead of one pass over every
# active company and its slots per request.
COVERAGE_SQL = "SELECT present, filled, companies FROM company.slot_coverage"


def coverage() -> dict:
    """Slot coverage over active companies, in one query of the summary (:data:`COVERAGE_SQL`).

    Each active company is reduced to two role bitmasks (slots it has, slots filled); the
    per-role figures and the companies-by-slots-filled distribution are read off the few
    (present, filled) groups. ``roles``: [{role_code, total, filled, pct}] for roles with slots,
    ``overall``: {total, filled, pct}, ``distribution``: [{filled: 3..0, companies, pct}].
    """
    with connection.cursor() as cursor:
        cursor.execute(COVERAGE_SQL)
        groups = cursor.fetchall()
    totals = dict.fromkeys(COVERAGE_ROLES, 0)
    filled_by_role = dict.fromkeys(COVERAGE_ROLES, 0)
    by_n: dict[int, int] = {}
    for present, filled, n in groups:
        for i, code in enumerate(COVERAGE_ROLES):
            totals[code] += n if present & (1 << i) else 0
            filled_by_role[code] += n if filled & (1 << i) else 0
        k = filled.bit_count()
        by_n[k] = by_n.get(k, 0) + n
    rows = [
        {
            "role_code": code,
            "total": totals[code],
            "filled": filled_by_role[code],
            "pct": round(100 * filled_by_role[code] / totals[code], 1),
        }
        for code in sorted(COVERAGE_ROLES)
        if totals[code]
    ]
    total = sum(totals.values())
    filled = sum(filled_by_role.values())
    companies = sum(by_n.values())
    distribution = [
        {
            "filled": n,
            "companies": by_n.get(n, 0),
            "pct": round(100 * by_n.get(n, 0) / companies, 1) if companies else 0,
        }
        for n in (3, 2, 1, 0)
    ]
    return {
        "roles": rows,
        "overall": {
            "total": total,
            "filled": filled,
            "pct": round(100 * filled / total, 1) if total else 0,
        },
        "distribution": distribution,
        "companies": companies,
    }


def company_history(
    company_id: int, limit: int = 50, roles: dict | None = None
) -> list[CompanyHistory]:
    """The company's latest history rows, one query: slot rows get ``old_name``/``new_name`` of
    the people involved (joined in SQL, so the count does not depend on the rows)."""

    def name_of(side: str):
        return RawSQL(
            "(SELECT p.full_name FROM people.contact p WHERE p.contact_id = "
            f'("company"."history"."{side}" ->> \'contact_id\')::bigint)',
            [],
        )

    rows = list(
        CompanyHistory.objects.filter(company_id=company_id).annotate(
            old_person=name_of("old_values"), new_person=name_of("new_values")
        )[:limit]
    )
    for h in rows:
        old = (h.old_values or {}).get("contact_id")
        new = (h.new_values or {}).get("contact_id")
        h.old_name = (h.old_person or f"#{old}") if old else ""
        h.new_name = (h.new_person or f"#{new}") if new else ""
        h.reason = (h.new_values or {}).get("reason", "")
        h.slot_role = (roles or {}).get(h.company_slot_id, "")
        h.fields = [f for f in (h.changed_fields or []) if f not in ("filled_at",)]
    return rows


# The company page's side lists (people, campaign members, signals, intelligence), each cut to
# its limit on its own index, in one statement. Keys mirror the model attributes the template
# reads (``p.verification.email_status``, ``m.campaign.name``, ``s.contact.full_name``).
COMPANY_PANELS_SQL = """
SELECT
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.n, x.k), '[]') FROM (
      SELECT p.full_name AS n, p.contact_id AS k, jsonb_build_object(
                 'pk', p.contact_id, 'full_name', p.full_name, 'title', p.title,
                 'email', p.email, 'status', p.status,
                 'verification', CASE WHEN v.contact_id IS NOT NULL
                                      THEN jsonb_build_object('email_status', v.email_status)
                                 END) AS j
      FROM people.contact p
      LEFT JOIN people.contact_verification v ON v.contact_id = p.contact_id
      WHERE p.company_id = %(id)s
      ORDER BY p.full_name, p.contact_id LIMIT %(people)s) x) AS people,
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.at DESC, x.k), '[]') FROM (
      SELECT cc.created_at AS at, cc.campaign_contact_id AS k, jsonb_build_object(
                 'pk', cc.campaign_contact_id, 'role_code', cc.role_code, 'status', cc.status,
                 'campaign', jsonb_build_object('pk', ca.campaign_id, 'name', ca.name,
                                                'status', ca.status),
                 'contact', jsonb_build_object('pk', p.contact_id, 'full_name', p.full_name))
                 AS j
      FROM marketing.campaign_contact cc
      JOIN marketing.campaign ca ON ca.campaign_id = cc.campaign_id
      JOIN people.contact p ON p.contact_id = cc.contact_id
      WHERE cc.company_id = %(id)s
      ORDER BY cc.created_at DESC, cc.campaign_contact_id LIMIT %(campaigns)s) x) AS campaigns,
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.at DESC, x.k), '[]') FROM (
      SELECT s.created_at AS at, s.signal_id AS k, jsonb_build_object(
                 'pk', s.signal_id, 'created_at', s.created_at, 'reason', s.reason,
                 'signal_strength', s.signal_strength,
                 'contact', CASE WHEN p.contact_id IS NOT NULL
                                 THEN jsonb_build_object('pk', p.contact_id,
                                                         'full_name', p.full_name) END) AS j
      FROM bit.signal s
      LEFT JOIN people.contact p ON p.contact_id = s.contact_id
      WHERE s.company_id = %(id)s
      ORDER BY s.created_at DESC, s.signal_id LIMIT %(signals)s) x) AS signals,
  (SELECT coalesce(jsonb_agg(x.j ORDER BY x.at DESC, x.k), '[]') FROM (
      SELECT i.detected_at AS at, i.intelligence_id AS k, jsonb_build_object(
                 'pk', i.intelligence_id, 'detected_at', i.detected_at,
                 'intelligence_type', i.intelligence_type, 'url', i.url, 'title', i.title) AS j
      FROM company.intelligence i
      WHERE i.company_id = %(id)s
      ORDER BY i.detected_at DESC, i.intelligence_id LIMIT %(intelligence)s) x) AS intelligence
"""
_PANEL_TIMES = ("created_at", "detected_at")


def company_panels(
    company_id: int, *, people: int = 50, campaigns: int = 20, signals: int = 20
) -> dict:
    """The company page's people, campaign members, signals and intelligence: one query
    whatever their number (each list bounded)."""
    with connection.cursor() as cursor:
        cursor.execute(
            COMPANY_PANELS_SQL,
            {
                "id": company_id,
                "people": people,
                "campaigns": campaigns,
                "signals": signals,
                "intelligence": signals,
            },
        )
        row = cursor.fetchone()
    return dict(
        zip(
            ("people", "campaigns", "signals", "intelligence"),
            (json_rows(v, _PANEL_TIMES) for v in row),
            strict=True,
        )
    )
