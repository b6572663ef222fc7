"""``Seeder``: writes a ``DemoPlan`` through the ORM, one ``bulk_create`` per table; and
``table_counts``, the summary ``seed_demo`` prints."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from companies.models import Company, CompanyIntelligence, CompanySlot
from intake.models import AuditLog, RawLoad, VaultContact
from marketing.models import AcHandoff, BookingEvent, Campaign, CampaignContact, MessageLog
from outreach_admin.fields import ROLES
from overview.demo.enrichment import EnrichmentWriter
from overview.demo.outreach import OutreachWriter
from overview.demo.plan import DemoPlan, PersonPlan
from overview.demo.vocabulary import ACTOR, CONFLICT, DEPARTMENTS, FILL_RATE
from people.models import (
    Contact,
    ContactVerification,
    EmailVerification,
    MergeLog,
    ResolutionQueue,
)
from people.selectors import CONFLICT_RULE
from signals.models import CompanyScore, Signal


def table_counts() -> dict[str, int]:
    models = [
        Company, CompanySlot, CompanyIntelligence, Contact, ContactVerification,
        EmailVerification, ResolutionQueue, MergeLog, Campaign, CampaignContact, MessageLog,
        BookingEvent, AcHandoff, Signal, CompanyScore, RawLoad, VaultContact, AuditLog,
    ]  # fmt: skip
    counts = {m._meta.db_table.replace('"', ""): m.objects.count() for m in models}
    counts["company.company_slot (filled)"] = CompanySlot.objects.filter(
        contact__isnull=False
    ).count()
    return counts


class Seeder(OutreachWriter, EnrichmentWriter):
    """Writes a ``DemoPlan`` and derives campaigns, messages, bookings, handoffs and signals."""

    def __init__(self, plan: DemoPlan, rng: random.Random, stdout):
        self.plan = plan
        self.rng = rng
        self.stdout = stdout
        self.now = timezone.now()

    def ago(self, days: float | None):
        return None if days is None else self.now - timedelta(days=days)

    def run(self) -> None:
        self.write_companies()
        self.write_people()
        self.write_duplicates()  # before the slots: a pending pair keeps a company from "ready"
        self.write_slots()
        self.ingest_raw_rows()  # its promotion fills some open slots
        self.top_up_slots()
        self.write_campaigns()
        self.write_bookings_and_handoffs()
        self.write_signals()

    def top_up_slots(self) -> None:
        """Fill open slots from the spare best fits until ``FILL_RATE`` of the active
        companies' slots are filled, counting what promotion filled."""
        filled = CompanySlot.objects.filter(company__status="active", contact__isnull=False)
        missing = self.fill_target - filled.count()
        slot_of = {(s.company_id, s.role_code): s.pk for s in self.slots}
        for (i, role), contact in self.spare_fills:
            if missing <= 0:
                break
            missing -= CompanySlot.objects.filter(
                pk=slot_of[(self.companies[i].pk, role)], contact__isnull=True
            ).update(contact=contact, last_refreshed_at=self.now)
        self.slots = list(CompanySlot.objects.filter(pk__in=slot_of.values()).order_by("pk"))

    def write_companies(self) -> None:
        rows = []
        for c in self.plan.companies:
            site, linkedin, news = (self.ago(d) for d in c.checked_days)
            rows.append(
                Company(
                    company_name=c.name,
                    domain=c.domain,
                    website_url=f"https://www.{c.domain}",
                    linkedin_url=f"https://www.linkedin.com/company/{c.domain.split('.')[0]}",
                    news_url=f"https://www.{c.domain}/news",
                    industry=c.industry,
                    employee_count=c.employee_count,
                    revenue=c.revenue,
                    founded_year=c.founded_year,
                    company_phone=f"+1{c.area_code}5550{len(rows) % 1000:03d}",
                    city=c.city,
                    state_region=c.state,
                    country="US",
                    renewal_month=c.renewal_month,
                    status=c.status,
                    source_system=c.source,
                    last_site_checked_at=site,
                    last_linkedin_checked_at=linkedin,
                    last_news_checked_at=news,
                    enriched_at=self.ago(c.checked_days[0]),
                )
            )
        self.companies = Company.objects.bulk_create(rows)

    def _contact(self, p: PersonPlan, merged_into=None) -> Contact:
        title = p.title.lower()
        department = next((d for pattern, d in DEPARTMENTS if re.search(pattern, title)), None)
        company = self.companies[p.company] if p.company is not None else None
        return Contact(
            full_name=p.full_name,
            first_name=p.first,
            last_name=p.last,
            title=p.title,
            department=department,
            seniority="C-Level" if re.search(r"chief|ceo|cfo|chro|founder", title) else None,
            email=p.email,
            work_phone_e164=p.phone,
            linkedin_url=p.linkedin_url,
            location=f"{company.city}, {company.state_region}" if company else None,
            company=company,
            status=p.status,
            merged_into=merged_into,
            source_system=p.source,
            source_record_id=f"{p.source}-{self.rng.randrange(10**7):07d}",
            last_profile_checked_at=self.ago(p.profile_days),
        )

    def write_people(self) -> None:
        originals = [p for p in self.plan.people if p.duplicate_of is None]
        contacts = Contact.objects.bulk_create([self._contact(p) for p in originals])
        self.contact_of = dict(zip(map(id, originals), contacts, strict=True))
        self.people = [self.contact_of.get(id(p)) for p in self.plan.people]  # originals only
        duplicates = [p for p in self.plan.people if p.duplicate_of is not None]
        made = Contact.objects.bulk_create(
            [
                self._contact(
                    p,
                    merged_into=self.people[p.duplicate_of] if p.status == "merged" else None,
                )
                for p in duplicates
            ]
        )
        for p, contact in zip(duplicates, made, strict=True):
            self.contact_of[id(p)] = contact
        self.people = [self.contact_of[id(p)] for p in self.plan.people]
        # Recording a result also maintains people.contact_verification (trigger).
        results = []
        for p, contact in zip(self.plan.people, self.people, strict=True):
            if p.email_status is None:
                continue
            if self.rng.random() < 0.3:  # an older result that a newer check superseded
                results.append(self._verification(contact, p, "gray", p.verified_days + 45))
            results.append(self._verification(contact, p, p.email_status, p.verified_days))
        EmailVerification.objects.bulk_create(results)

    def _verification(self, contact, p, status, days):
        confidence = {"green": 95, "yellow": 70, "red": 15, "gray": 0}[status]
        provider = self.rng.choice(["neverbounce", "zerobounce", "millionverifier"])
        return EmailVerification(
            contact=contact,
            email=p.email,
            email_status=status,
            confidence=Decimal(confidence + self.rng.randint(0, 4)),
            provider=provider,
            result={"provider": provider, "status": status},
            verified_at=self.ago(days),
        )

    def write_slots(self) -> None:
        """Fill about ``FILL_RATE`` (12.5%, the customer's) of the active companies' slots with
        the best-fitting employee per ``company.classify_title``, less an allowance for what
        promotion fills (``top_up_slots`` completes the target after it).

        First a few companies whose renewal window is open get one green, unduplicated
        person and are kept out of every campaign (``self.ready_companies``), so the renewals
        page opens with companies ready to launch. The other fills lean towards green addresses
        first (the campaigns take members from those), then follow the plan's draws.
        """
        titles = sorted({p.title for p in self.plan.people})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.title, c.role_code, c.confidence FROM unnest(%s::text[]) AS t(title) "
                "CROSS JOIN LATERAL company.classify_title(t.title) AS c",
                [titles],
            )
            role_of = {t: (r, float(conf)) for t, r, conf in cursor.fetchall()}
            cursor.execute(
                "SELECT company_id FROM company.vw_next_renewal WHERE in_window "
                "AND status = 'active'"
            )
            in_window = {row[0] for row in cursor.fetchall()}
        best = {}
        for p, contact in zip(self.plan.people, self.people, strict=True):
            role, confidence = role_of[p.title]
            if p.company is None or role is None or p.status == "merged" or confidence < 0.5:
                continue
            if p.duplicate_of is not None:
                continue
            key = (p.company, role)
            if key not in best or confidence > best[key][0]:
                best[key] = (confidence, contact, p.email_status == "green")
        blocked = set()
        for a, b in ResolutionQueue.objects.filter(resolution_status="pending").values_list(
            "contact_primary_id", "contact_duplicate_id"
        ):
            blocked.update((a, b))
        active = [i for i, c in enumerate(self.companies) if c.status != "archived"]
        target = round(FILL_RATE * len(ROLES) * len(active))
        fill, self.ready_companies = set(), set()
        ready_goal = max(1, len(self.companies) // 12)
        for i in sorted(active, key=lambda i: min(self.plan.slot_draws[i].values())):
            if len(self.ready_companies) >= ready_goal or len(fill) >= target // 2:
                break
            if self.companies[i].pk not in in_window:
                continue
            good = [
                (i, role)
                for role in ROLES
                if (i, role) in best and best[(i, role)][2] and best[(i, role)][1].pk not in blocked
            ]
            if good:  # one green person makes it ready; the rest of the target feeds campaigns
                fill.add(good[0])
                self.ready_companies.add(self.companies[i].pk)
        rest = sorted(
            (
                (i, role)
                for i in active
                for role in ROLES
                if (i, role) in best and self.companies[i].pk not in self.ready_companies
            ),
            key=lambda k: (not best[k][2], self.plan.slot_draws[k[0]][k[1]]),
        )
        # Promotion of the raw rows (``ingest_raw_rows``, next) fills some open slots too; keep
        # room for it and top up to the target afterwards (``top_up_slots``).
        allowance = round(0.05 * len(ROLES) * len(active))
        for key in rest[: max(0, target - allowance - len(fill))]:
            fill.add(key)
        self.fill_target = target
        self.spare_fills = sorted(
            ((key, best[key][1]) for key in rest if key not in fill),
            key=lambda item: (not best[item[0]][2], self.plan.slot_draws[item[0][0]][item[0][1]]),
        )
        slots = []
        for i, company in enumerate(self.companies):
            for role in ROLES:
                slots.append(
                    CompanySlot(
                        company=company,
                        role_code=role,
                        contact=best[(i, role)][1] if (i, role) in fill else None,
                        last_refreshed_at=self.ago(self.rng.uniform(0, 90)),
                    )
                )
        self.slots = CompanySlot.objects.bulk_create(slots)

    def _detect_duplicates(self) -> dict:
        """Queue pairs the way production does, by ``people.detect_duplicates()`` (its scores
        and per-field evidence, which the compare page and the bulk merge read); the pending
        rows it made, by unordered pair. Empty when the function is not installed."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regprocedure('people.detect_duplicates()') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return {}
            cursor.execute("SELECT people.detect_duplicates()")
        return {
            frozenset((q.contact_primary_id, q.contact_duplicate_id)): q
            for q in ResolutionQueue.objects.all()
        }

    def write_duplicates(self) -> None:
        """The planned pairs: found by the detector (then resolved as planned), else written
        with evidence built here (a merged record is not live, so the detector skips it)."""
        pairs = [
            (p, self.people[p.duplicate_of], self.contact_of[id(p)])
            for p in self.plan.people
            if p.duplicate_of is not None and p.queue_status
        ]
        if not pairs:
            return
        detected = self._detect_duplicates()
        planned = []
        for p, original, dup in pairs:
            row = detected.get(frozenset((original.pk, dup.pk)))
            if row is None:
                planned.append((p, original, dup))
            elif p.queue_status != "pending":
                resolved_at = self.ago(self.rng.uniform(1, 20))
                ResolutionQueue.objects.filter(pk=row.pk).update(
                    resolution_status=p.queue_status,
                    resolved_by=ACTOR,
                    resolved_at=resolved_at,
                    created_at=resolved_at - timedelta(days=self.rng.uniform(1, 20)),
                )
        pairs = planned
        if not pairs:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT round(similarity(lower(a), lower(b))::numeric, 3) "
                "FROM unnest(%s::text[], %s::text[]) AS t(a, b)",
                [[o.full_name for _, o, _ in pairs], [d.full_name for _, _, d in pairs]],
            )
            similarities = [row[0] for row in cursor.fetchall()]
        queue = []
        for (p, original, dup), similarity in zip(pairs, similarities, strict=True):
            conflict, base = CONFLICT[p.duplicate_kind]
            score = min(Decimal("0.999"), Decimal(str(base)) + similarity / 10)
            evidence = {
                "rules": [CONFLICT_RULE[conflict]],
                "name_similarity": float(similarity),
                "names": [original.full_name, dup.full_name],
                "emails": [original.email, dup.email],
                "same_company": original.company_id == dup.company_id,
            }
            if p.duplicate_kind == "linkedin":
                evidence["linkedin_urls"] = [original.linkedin_url, dup.linkedin_url]
            if p.duplicate_kind == "gmail" and original.work_phone_e164:
                evidence["same_phone"] = original.work_phone_e164
            resolved = p.queue_status != "pending"
            queue.append(
                ResolutionQueue(
                    contact_primary=original,
                    contact_duplicate=dup,
                    conflict_type=conflict,
                    score=score.quantize(Decimal("0.001")),
                    evidence=evidence,
                    recommendation="merge" if score >= Decimal("0.85") else "review",
                    resolution_status=p.queue_status,
                    resolved_by=ACTOR if resolved else None,
                    resolved_at=self.ago(self.rng.uniform(1, 20)) if resolved else None,
                    created_at=self.ago(self.rng.uniform(1, 40)),
                )
            )
        queue = ResolutionQueue.objects.bulk_create(queue)
        MergeLog.objects.bulk_create(
            [
                MergeLog(
                    survivor=q.contact_primary,
                    absorbed=q.contact_duplicate,
                    resolution=q,
                    chosen_values={"email": q.contact_primary.email},
                    survivor_before={"email": q.contact_primary.email},
                    absorbed_before={"email": q.contact_duplicate.email, "status": "active"},
                    moved_rows={},
                    merged_by=ACTOR,
                    merged_at=q.resolved_at,
                )
                for q in queue
                if q.resolution_status == "merged"
            ]
        )
