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
from overview.demo.vocabulary import ACTOR, CONFLICT, DEPARTMENTS
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
        self.write_slots()
        self.write_duplicates()
        self.write_campaigns()
        self.write_bookings_and_handoffs()
        self.write_signals()
        self.ingest_raw_rows()

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
        """Fill ~40% of the slots with the best-fitting employee per ``company.classify_title``."""
        titles = sorted({p.title for p in self.plan.people})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.title, c.role_code, c.confidence FROM unnest(%s::text[]) AS t(title) "
                "CROSS JOIN LATERAL company.classify_title(t.title) AS c",
                [titles],
            )
            role_of = {t: (r, float(conf)) for t, r, conf in cursor.fetchall()}
        best = {}
        for p, contact in zip(self.plan.people, self.people, strict=True):
            role, confidence = role_of[p.title]
            if p.company is None or role is None or p.status == "merged" or confidence < 0.5:
                continue
            if p.duplicate_of is not None:
                continue
            key = (p.company, role)
            if key not in best or confidence > best[key][0]:
                best[key] = (confidence, contact)
        slots = []
        for i, company in enumerate(self.companies):
            for role in ROLES:
                pick = best.get((i, role))
                fill = (
                    pick is not None
                    and company.status != "archived"
                    and self.plan.slot_draws[i][role] < 0.55
                )
                slots.append(
                    CompanySlot(
                        company=company,
                        role_code=role,
                        contact=pick[1] if fill else None,
                        last_refreshed_at=self.ago(self.rng.uniform(0, 90)),
                    )
                )
        self.slots = CompanySlot.objects.bulk_create(slots)

    def write_duplicates(self) -> None:
        pairs = [
            (p, self.people[p.duplicate_of], self.contact_of[id(p)])
            for p in self.plan.people
            if p.duplicate_of is not None and p.queue_status
        ]
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
