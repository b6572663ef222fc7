"""``manage.py seed_demo``: a realistic, deterministic demo data set for an empty database.

Two halves. ``build_plan`` is pure Python driven by ``random.Random(seed)``: the companies, their
people (with titles easy and hard to map to CEO/CFO/HR), verification statuses and the duplicate
pairs. ``Command`` writes the plan through the ORM with one ``bulk_create`` per table inside
``acting_as("seed_demo")`` (so the history triggers name the actor and the app role's grants
apply), then derives the rest from what the database says: slots are filled from
``company.classify_title`` (the one title classifier, never re-implemented here), renewal signals
from ``company.vw_next_renewal``. RLS-protected intake tables are written only through
``intake.f_ingest_json`` / ``vault.f_promote_contacts`` when those functions exist.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from companies.models import Company, CompanyIntelligence, CompanySlot
from intake.models import AuditLog, RawLoad, VaultContact
from marketing.models import AcHandoff, BookingEvent, Campaign, CampaignContact, MessageLog
from outreach_admin.db import acting_as
from people.models import (
    Contact,
    ContactVerification,
    EmailVerification,
    MergeLog,
    ResolutionQueue,
)
from signals.models import CompanyScore, Signal

ACTOR = "seed_demo"
ROLES = ("CEO", "CFO", "HR")

INDUSTRIES = {
    "Healthcare": (["Health", "Medical Group", "Family Clinics", "Dental Partners"], "com"),
    "Manufacturing": (["Manufacturing", "Industries", "Fabrication", "Precision Works"], "com"),
    "Construction": (["Builders", "Construction", "Contracting", "Roofing"], "com"),
    "Professional Services": (["Consulting", "Advisors", "Accounting Group", "Law Group"], "com"),
    "Software": (["Software", "Systems", "Labs", "Data"], "io"),
    "Logistics": (["Logistics", "Freight", "Transport", "Distribution"], "com"),
    "Hospitality": (["Hospitality", "Hotels", "Restaurant Group"], "com"),
    "Financial Services": (["Capital", "Financial", "Credit Union", "Insurance Agency"], "com"),
    "Retail": (["Outfitters", "Market", "Supply Co."], "com"),
    "Education": (["Academy", "Learning", "Charter Schools"], "org"),
    "Nonprofit": (["Foundation", "Community Services"], "org"),
    "Real Estate": (["Properties", "Realty", "Property Management"], "com"),
}
PREFIXES = [
    "Blue Ridge", "Summit", "Harbor Point", "Cedar Valley", "Ironwood", "Lakeshore", "Pioneer",
    "Redwood", "Silver Creek", "Keystone", "Northstar", "Granite", "Prairie", "Meridian",
    "Riverbend", "Oakmont", "Evergreen", "Highland", "Coastal", "Magnolia", "Sagebrush",
    "Bluebonnet", "Copper Canyon", "Great Lakes", "Liberty", "Heritage", "Crescent", "Falcon",
    "Juniper", "Willow Creek", "Sterling", "Atlas", "Beacon", "Cornerstone", "Tidewater",
    "Lone Star", "Bayview", "Stonebridge", "Maple Grove", "Clearwater",
]  # fmt: skip
LEGAL = ["", "", "", " Inc.", " LLC", " Group", " Co."]
STATES = [
    ("TX", ["Austin", "Dallas", "Houston", "San Antonio"], "512"),
    ("CA", ["San Diego", "Sacramento", "Irvine", "Oakland"], "916"),
    ("FL", ["Tampa", "Orlando", "Jacksonville"], "813"),
    ("NY", ["Buffalo", "Rochester", "Albany"], "716"),
    ("IL", ["Chicago", "Naperville", "Peoria"], "312"),
    ("OH", ["Columbus", "Cleveland", "Cincinnati"], "614"),
    ("GA", ["Atlanta", "Savannah"], "404"),
    ("NC", ["Charlotte", "Raleigh", "Durham"], "704"),
    ("PA", ["Pittsburgh", "Philadelphia", "Harrisburg"], "412"),
    ("AZ", ["Phoenix", "Tucson", "Scottsdale"], "602"),
    ("CO", ["Denver", "Boulder", "Colorado Springs"], "303"),
    ("WA", ["Seattle", "Spokane", "Tacoma"], "206"),
    ("MA", ["Boston", "Worcester"], "617"),
    ("TN", ["Nashville", "Memphis", "Knoxville"], "615"),
    ("MN", ["Minneapolis", "St. Paul", "Rochester"], "612"),
]
FIRST_NAMES = [
    "Robert", "William", "Elizabeth", "Katherine", "Michael", "James", "Jennifer", "Richard",
    "Thomas", "Margaret", "Christopher", "Daniel", "Patricia", "Steven", "Jonathan", "Rebecca",
    "Alexander", "Samantha", "Nicholas", "Anthony", "Maria", "Priya", "Wei", "Aisha", "Carlos",
    "Olivia", "Ethan", "Sofia", "Marcus", "Hannah", "Diego", "Grace", "Kevin", "Laura", "Omar",
    "Rachel", "Brian", "Mei", "Andre", "Natalie", "Jamal", "Emily", "Victor", "Lauren", "Hiroshi",
    "Megan", "Tyler", "Fatima", "Derek", "Chloe",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Nguyen", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
    "Mitchell", "Patel", "Campbell", "Roberts", "Phillips", "Evans", "Turner", "Parker", "Collins",
    "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Kim", "Chen", "Reyes", "Sullivan",
    "Whitaker", "Okafor", "Lindqvist", "Brennan", "Castillo", "Fitzgerald", "Yamamoto", "Delgado",
]  # fmt: skip
NICKNAMES = {
    "Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Katherine": "Kate",
    "Michael": "Mike", "James": "Jim", "Jennifer": "Jen", "Richard": "Rick", "Thomas": "Tom",
    "Margaret": "Peggy", "Christopher": "Chris", "Daniel": "Dan", "Patricia": "Pat",
    "Steven": "Steve", "Jonathan": "Jon", "Rebecca": "Becky", "Alexander": "Alex",
    "Samantha": "Sam", "Nicholas": "Nick", "Anthony": "Tony",
}  # fmt: skip
# Titles that should land in a role (some plainly, some only after a careful read) …
ROLE_TITLES = {
    "CEO": ["Chief Executive Officer", "CEO", "Founder & CEO", "President & CEO", "President",
            "Co-Founder", "Managing Partner", "Owner", "Executive Director", "Managing Director"],
    "CFO": ["Chief Financial Officer", "CFO", "VP Finance", "Vice President of Finance",
            "Controller", "Director of Finance", "Finance Director", "Treasurer"],
    "HR": ["Chief People Officer", "CHRO", "VP Human Resources", "Director of Human Resources",
           "HR Manager", "Benefits Manager", "Head of Talent", "Head of People",
           "People Operations Manager", "HR Director"],
}  # fmt: skip
# … and people who work there but are not the decision maker.
OTHER_TITLES = [
    "Executive Assistant to the CEO", "Office Manager", "VP Sales", "Director of Marketing",
    "Operations Manager", "Software Engineer", "HR Coordinator", "Accounts Payable Specialist",
    "Senior Accountant", "Recruiter", "Chief Operating Officer", "Chief Technology Officer",
    "Former CFO", "Board Advisor", "Payroll Specialist", "Assistant Controller",
    "Sales Development Representative", "Customer Success Manager",
]  # fmt: skip
DEPARTMENTS = [
    ("financ|controller|treasurer|accountant|payroll|payable", "Finance"),
    ("people|human|hr|talent|benefits|recruit|chro", "Human Resources"),
    ("sales|customer", "Sales"),
    ("marketing", "Marketing"),
    ("engineer|technology", "Engineering"),
    ("ceo|chief executive|president|founder|owner|partner|director|officer", "Executive"),
]
EMAIL_STATUS_SHARE = [("green", 0.35), ("yellow", 0.25), ("red", 0.15), ("gray", 0.15)]
SOURCES = ["apollo", "apollo", "apify", "manual", "zoominfo"]
DUPLICATE_KINDS = ["nickname", "gmail", "typo", "linkedin", "email_case"]
FREE_MAIL = ["gmail.com", "gmail.com", "yahoo.com", "outlook.com"]


@dataclass
class CompanyPlan:
    name: str
    domain: str
    industry: str
    city: str
    state: str
    area_code: str
    employee_count: int
    revenue: Decimal
    founded_year: int
    renewal_month: int
    status: str
    source: str
    checked_days: tuple  # site, linkedin, news: days ago, None = never checked


@dataclass
class PersonPlan:
    company: int | None  # index into plan.companies
    first: str
    last: str
    title: str
    email: str | None
    phone: str | None
    linkedin_url: str | None
    email_status: str | None  # None: never verified
    verified_days: float
    profile_days: float | None
    source: str
    full_name: str = ""
    status: str = "active"
    duplicate_of: int | None = None  # index into plan.people
    duplicate_kind: str | None = None
    queue_status: str | None = None  # resolution_queue status, None: not queued yet

    def __post_init__(self):
        self.full_name = self.full_name or f"{self.first} {self.last}"


@dataclass
class DemoPlan:
    companies: list[CompanyPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    slot_draws: list[dict] = field(default_factory=list)  # per company: role → fill draw 0..1


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower().replace("&", "and"))


def _typo(name: str, rng: random.Random) -> str:
    """A plausible misspelling: two adjacent letters swapped or one letter doubled."""
    i = rng.randrange(1, len(name) - 1)
    if rng.random() < 0.5 and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[: i + 1] + name[i] + name[i + 1 :]


def build_plan(companies: int, seed: int) -> DemoPlan:
    """The demo data set as plain Python, a pure function of ``(companies, seed)``."""
    rng = random.Random(seed)
    plan = DemoPlan()
    names, domains, emails = set(), set(), set()

    months = [(i % 12) + 1 for i in range(companies)]
    rng.shuffle(months)
    archived = set(rng.sample(range(companies), max(1, round(companies * 0.05))))
    industries = list(INDUSTRIES)
    for i in range(companies):
        industry = rng.choice(industries)
        words, tld = INDUSTRIES[industry]
        while True:
            if rng.random() < 0.2:
                base = f"{rng.choice(LAST_NAMES)} & {rng.choice(LAST_NAMES)} {rng.choice(words)}"
            else:
                base = f"{rng.choice(PREFIXES)} {rng.choice(words)}"
            name = base + ("" if tld == "org" else rng.choice(LEGAL))
            if base not in names:
                break
        names.add(base)
        domain = f"{_slug(base)}.{tld}"
        while domain in domains:
            domain = f"{_slug(base)}{rng.randint(2, 99)}.{tld}"
        domains.add(domain)
        state, cities, area = rng.choice(STATES)
        employees = int(rng.lognormvariate(4.2, 0.9)) + 8
        plan.companies.append(
            CompanyPlan(
                name=name,
                domain=domain,
                industry=industry,
                city=rng.choice(cities),
                state=state,
                area_code=area,
                employee_count=employees,
                revenue=Decimal(employees * rng.randint(90, 260) * 1000),
                founded_year=rng.randint(1952, 2021),
                renewal_month=months[i],
                status="archived" if i in archived else "active",
                source=rng.choice(SOURCES),
                checked_days=tuple(
                    None if rng.random() < 0.15 else round(rng.uniform(0, 120), 2) for _ in range(3)
                ),
            )
        )
        plan.slot_draws.append({role: rng.random() for role in ROLES})

    def email_for(first, last, domain, style):
        local = {
            0: f"{first}.{last}",
            1: f"{first[0]}{last}",
            2: f"{first}",
            3: f"{first}{last[0]}",
        }[style].lower()
        local = re.sub(r"[^a-z0-9.]", "", local)
        candidate, n = f"{local}@{domain}", 2
        while candidate.lower() in emails:
            candidate, n = f"{local}{n}@{domain}", n + 1
        emails.add(candidate.lower())
        return candidate

    def person(company_index, title, first=None, last=None):
        first = first or rng.choice(FIRST_NAMES)
        last = last or rng.choice(LAST_NAMES)
        if company_index is None:
            email = email_for(first, last, rng.choice(FREE_MAIL), 0)
            phone_area = rng.choice(STATES)[2]
        else:
            c = plan.companies[company_index]
            email = email_for(first, last, c.domain, company_styles[company_index])
            phone_area = c.area_code
        return PersonPlan(
            company=company_index,
            first=first,
            last=last,
            title=title,
            email=email if rng.random() > 0.04 else None,
            phone=f"+1{phone_area}{rng.randint(2000000, 9899999)}" if rng.random() < 0.6 else None,
            linkedin_url=(
                f"https://www.linkedin.com/in/{first}-{last}-{rng.randrange(16**4):04x}".lower()
                if rng.random() < 0.75
                else None
            ),
            email_status=None,
            verified_days=round(rng.uniform(0, 120), 2),
            profile_days=None if rng.random() < 0.2 else round(rng.uniform(0, 120), 2),
            source=rng.choice(SOURCES),
        )

    company_styles = [rng.randrange(4) for _ in range(companies)]
    for i in range(companies):
        staff = [rng.choice(ROLE_TITLES[r]) for r in ROLES if rng.random() < 0.78]
        staff += rng.sample(OTHER_TITLES, rng.randint(0, 3))
        while len(staff) < 2:
            staff.append(rng.choice(OTHER_TITLES))
        rng.shuffle(staff)
        plan.people.extend(person(i, title) for title in staff)
    for _ in range(max(2, companies // 15)):  # people not (yet) tied to a company
        plan.people.append(person(None, rng.choice(ROLE_TITLES[rng.choice(ROLES)])))

    # Verification statuses in fixed shares (so every status appears), ~10% never verified.
    statuses = []
    for status, share in EMAIL_STATUS_SHARE:
        statuses += [status] * round(share * len(plan.people))
    statuses += [None] * (len(plan.people) - len(statuses))
    rng.shuffle(statuses)
    for p, status in zip(plan.people, statuses, strict=False):
        p.email_status = status if p.email else None

    _plan_duplicates(plan, rng, email_for, max(5, round(companies / 6)))
    return plan


def _plan_duplicates(plan: DemoPlan, rng: random.Random, email_for, pairs: int) -> None:
    """Second records of existing people, varied the way vendor data really varies."""
    candidates = [
        i
        for i, p in enumerate(plan.people)
        if p.company is not None and p.email and plan.companies[p.company].status == "active"
    ]
    rng.shuffle(candidates)
    nick_first = [i for i in candidates if plan.people[i].first in NICKNAMES]
    used = set()
    for n in range(pairs):
        kind = DUPLICATE_KINDS[n % len(DUPLICATE_KINDS)]
        pool = nick_first if kind == "nickname" else candidates
        original_index = next((i for i in pool if i not in used), None)
        if original_index is None:
            continue
        used.add(original_index)
        o = plan.people[original_index]
        c = plan.companies[o.company]
        dup = PersonPlan(
            company=o.company,
            first=o.first,
            last=o.last,
            title=o.title,
            email=None,
            phone=None,
            linkedin_url=None,
            email_status=rng.choice(["gray", "yellow", None]),
            verified_days=round(rng.uniform(0, 60), 2),
            profile_days=None,
            source=rng.choice([s for s in SOURCES if s != o.source]),
            duplicate_of=original_index,
            duplicate_kind=kind,
        )
        if kind == "nickname":
            dup.first = NICKNAMES[o.first]
            dup.email = email_for(dup.first, o.last, c.domain, 0)
        elif kind == "gmail":
            dup.email = email_for(o.first, o.last, rng.choice(FREE_MAIL), 0)
            dup.phone = o.phone
        elif kind == "typo":
            dup.last = _typo(o.last, rng)
            dup.email = email_for(o.first, dup.last, c.domain, 1)
        elif kind == "linkedin":
            if not o.linkedin_url:
                o.linkedin_url = (
                    f"https://www.linkedin.com/in/{o.first}-{o.last}-"
                    f"{rng.randrange(16**4):04x}".lower()
                )
            dup.linkedin_url = o.linkedin_url.replace("https://www.", "https://") + "/"
            dup.title = rng.choice([o.title, f"Sr. {o.title}", o.title.upper()])
        else:  # email_case: only one live record may hold an address, so this one was merged
            dup.email = o.email.title()
            dup.status = "merged"
        dup.full_name = f"{dup.first} {dup.last}"
        if not dup.email:
            dup.email_status = None
        if kind == "email_case":
            dup.queue_status = "merged"
        else:
            roll = rng.random()
            dup.queue_status = (
                "pending"
                if roll < 0.55
                else "deferred"
                if roll < 0.62
                else "not_duplicate"
                if roll < 0.68
                else None
            )
        plan.people.append(dup)


CONFLICT = {
    "nickname": ("name_company", 0.78),
    "gmail": ("name_company", 0.86),
    "typo": ("name_similar", 0.7),
    "linkedin": ("linkedin", 0.95),
    "email_case": ("email", 0.99),
}
CAMPAIGNS = [
    ("{quarter} Renewal Outreach — CFOs", "renewal", "active", ["CFO"]),
    ("120-Day Renewal Window — HR Leaders", "renewal", "active", ["HR"]),
    ("Renewal Prep — Next Quarter", "renewal", "draft", ["CEO", "CFO", "HR"]),
    ("Benefits Benchmark Cold Outreach", "cold_outreach", "completed", ["CEO", "CFO"]),
    ("Open Enrollment Nurture", "nurture", "paused", ["HR"]),
    ("Post-Meeting Follow-up", "follow_up", "active", ["CEO"]),
]
MEMBER_STATUSES = [
    ("pending", 15), ("sent", 30), ("opened", 20), ("replied", 12), ("bounced", 8),
    ("unsubscribed", 5), ("booked", 10),
]  # fmt: skip
REJECT_REASONS = [
    "Renewed early with their incumbent broker through 2027.",
    "Contact left the company; no decision maker on the call.",
    "Under 10 employees — outside our book of business.",
]
SIGNALS = [
    ("funding_raised", 80, "{name} raises ${amount}M Series {series}"),
    ("executive_movement", 70, "{name} appoints new Chief Financial Officer"),
    ("job_postings", 40, "{name} is hiring {count} roles including an HR Business Partner"),
    ("headcount_growth", 55, "{name} headcount up {count}% year over year"),
]


class Command(BaseCommand):
    help = "Fill an empty database with realistic, deterministic demo data."

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=150)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when the database already has companies.",
        )

    def handle(self, *args, companies, seed, if_empty, **options):
        if companies < 1:
            raise CommandError("--companies must be at least 1.")
        started = time.monotonic()
        with acting_as(ACTOR):
            existing = Company.objects.count()
            if existing:
                if if_empty:
                    self.stdout.write(
                        f"The database already has {existing} companies; "
                        "--if-empty given, nothing seeded."
                    )
                    return
                raise CommandError(
                    f"The database already has {existing} companies. seed_demo only fills an "
                    "empty database (its demo domains would collide); use --if-empty to skip "
                    "quietly, or a fresh database (EMBEDDED_DB_NAME=...)."
                )
            plan = build_plan(companies, seed)
            Seeder(plan, random.Random(seed + 1), self.stdout).run()
            counts = table_counts()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data seeded in {elapsed:.1f}s (seed {seed}):"))
        for label, n in counts.items():
            self.stdout.write(f"  {label:<32}{n:>7}")


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


class Seeder:
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

    def write_campaigns(self) -> None:
        """Campaigns walk the real lifecycle: created draft, members (green, active people in
        slots) added while draft, then activated, paused or completed; member outcomes after."""
        rng = self.rng
        quarter = f"Q{(self.now.month - 1) // 3 + 1} {self.now.year}"
        green = {
            contact.pk
            for p, contact in zip(self.plan.people, self.people, strict=True)
            if p.email_status == "green" and p.status == "active"
        }
        eligible = [s for s in self.slots if s.contact_id in green]
        statuses, weights = zip(*MEMBER_STATUSES, strict=True)
        campaigns, members, final = [], [], {}
        for name, ctype, status, roles in CAMPAIGNS:
            started = None if status == "draft" else self.ago(rng.uniform(20, 100))
            pool = [s for s in eligible if s.role_code in roles]
            chosen = rng.sample(pool, min(len(pool), max(4, len(self.companies) // 5)))
            campaign = Campaign(
                name=name.format(quarter=quarter),
                type=ctype,
                status="draft",
                target_roles=roles,
                target_count=len(chosen),
                created_by=rng.choice(["demo", "dana.coordinator", "admin"]),
                created_at=(started or self.now) - timedelta(days=rng.uniform(1, 10)),
            )
            final[id(campaign)] = (status, started)
            for slot in chosen:
                outcome = "pending" if status == "draft" else rng.choices(statuses, weights)[0]
                members.append([campaign, slot, outcome])
            campaigns.append(campaign)
        # Exactly eight meetings booked overall: extra "booked" draws become replies, and
        # replies (then opens, then sends) are promoted when there are too few.
        live = [i for i, m in enumerate(members) if final[id(m[0])][0] != "draft"]
        booked = [i for i in live if members[i][2] == "booked"][:8]
        for wanted in ("replied", "opened", "sent"):
            booked += [i for i in live if members[i][2] == wanted][: 8 - len(booked)]
        for i, m in enumerate(members):
            m[2] = "booked" if i in booked else "replied" if m[2] == "booked" else m[2]

        Campaign.objects.bulk_create(campaigns)
        rows = CampaignContact.objects.bulk_create(
            [
                CampaignContact(
                    campaign=c,
                    contact_id=s.contact_id,
                    company_id=s.company_id,
                    role_code=s.role_code,
                )
                for c, s, _ in members
            ]
        )
        for campaign in campaigns:
            status, started = final[id(campaign)]
            if status == "draft":
                continue
            moves = [("active", {"started_at": started})]
            if status == "paused":
                moves.append(("paused", {}))
            elif status == "completed":
                moves.append(("completed", {"ended_at": started + timedelta(days=35)}))
            for move, extra in moves:
                Campaign.objects.filter(pk=campaign.pk).update(status=move, **extra)
            campaign.status, campaign.started_at = status, started
        by_outcome = {}
        for row, (_, _, outcome) in zip(rows, members, strict=True):
            row.status = outcome
            by_outcome.setdefault(outcome, []).append(row.pk)
        for outcome, ids in by_outcome.items():
            if outcome != "pending":
                CampaignContact.objects.filter(pk__in=ids).update(status=outcome)
        self.members = rows
        self.write_messages(rows)

    def write_messages(self, members) -> None:
        rng = self.rng
        company_name = {c.pk: c.company_name for c in self.companies}
        renewal = {c.pk: dt.date(2000, c.renewal_month, 1).strftime("%B") for c in self.companies}
        messages = []
        for m in members:
            if m.status == "pending":
                continue
            campaign = m.campaign
            name = company_name[m.company_id]
            month = renewal[m.company_id]
            sent = campaign.started_at + timedelta(days=rng.uniform(0, 10))
            opened = sent + timedelta(hours=rng.uniform(1, 48))
            messages.append(
                MessageLog(
                    campaign=campaign,
                    contact_id=m.contact_id,
                    direction="outbound",
                    channel="email",
                    message_type="initial",
                    status="bounced" if m.status == "bounced" else "sent",
                    subject=f"{name}'s {month} benefits renewal",
                    body="Hi — your renewal is coming up; could we compare options before it?",
                    sent_at=sent,
                    opened_at=opened if m.status in ("opened", "replied", "booked") else None,
                )
            )
            if m.status in ("opened", "replied", "booked", "unsubscribed") and rng.random() < 0.7:
                messages.append(
                    MessageLog(
                        campaign=campaign,
                        contact_id=m.contact_id,
                        direction="outbound",
                        channel=rng.choice(["email", "linkedin", "linkedin", "phone"]),
                        message_type="follow_up",
                        status="sent",
                        subject=f"Following up — {name} renewal",
                        sent_at=sent + timedelta(days=rng.uniform(3, 7)),
                    )
                )
            if m.status in ("replied", "booked"):
                replied = sent + timedelta(days=rng.uniform(1, 9))
                messages.append(
                    MessageLog(
                        campaign=campaign,
                        contact_id=m.contact_id,
                        direction="inbound",
                        channel=rng.choice(["email", "email", "linkedin", "phone"]),
                        message_type="reply",
                        status="replied",
                        subject=f"Re: {name}'s {month} benefits renewal",
                        body=rng.choice(
                            [
                                "Happy to talk — does Tuesday work?",
                                "Send me a few times next week.",
                                "We renew in the spring; let's talk in a month.",
                            ]
                        ),
                        sent_at=replied,
                        replied_at=replied,
                    )
                )
        MessageLog.objects.bulk_create(messages)

    def write_bookings_and_handoffs(self) -> None:
        rng = self.rng
        booked = [m for m in self.members if m.status == "booked"]
        bookings = BookingEvent.objects.bulk_create(
            [
                BookingEvent(
                    contact_id=m.contact_id,
                    company_id=m.company_id,
                    campaign=m.campaign,
                    event_time=self.now + timedelta(days=rng.uniform(-10, 14)),
                    source=rng.choice(["calendly", "hubspot", "manual"]),
                    created_by=ACTOR,
                    created_at=self.ago(rng.uniform(4, 12)),
                )
                for m in booked
            ]
        )
        # pending overdue (3+ days old), pending fresh, accepted, rejected.
        plan = ["pending_overdue", "pending", "accepted", "rejected", "pending_overdue"]
        plan += ["accepted", "pending", "pending_overdue"]
        handoffs = []
        for i, booking in enumerate(bookings):
            kind = plan[i % len(plan)]
            status = "pending" if kind.startswith("pending") else kind
            created = self.ago(rng.uniform(3.2, 8) if kind != "pending" else rng.uniform(0.1, 0.9))
            reviewed = status in ("accepted", "rejected")
            handoffs.append(
                AcHandoff(
                    company_id=booking.company_id,
                    contact_id=booking.contact_id,
                    booking_event=booking,
                    notes="Booked from the renewal campaign; wants a benchmark of current rates.",
                    status=status,
                    reject_reason=rng.choice(REJECT_REASONS) if status == "rejected" else None,
                    reviewed_by="demo" if reviewed else None,
                    reviewed_at=created + timedelta(hours=rng.uniform(2, 30)) if reviewed else None,
                    review_notes="Good fit, 85 employees." if status == "accepted" else None,
                    created_at=created,
                )
            )
        AcHandoff.objects.bulk_create(handoffs)

    def write_signals(self) -> None:
        """Renewal signals and scores through the signals app's SQL functions when installed
        (``bit.generate_renewal_signals``, ``bit.recalculate_scores``), else equivalent rows."""
        rng = self.rng
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regprocedure('bit.generate_renewal_signals(date)') IS NOT NULL, "
                "to_regprocedure('bit.recalculate_scores(timestamptz)') IS NOT NULL"
            )
            has_generator, has_scores = cursor.fetchone()
            in_window = []
            if not has_generator:
                cursor.execute(
                    "SELECT company_id, next_renewal_date, campaign_window_start "
                    "FROM company.vw_next_renewal WHERE in_window AND status = 'active' "
                    "ORDER BY company_id"
                )
                in_window = cursor.fetchall()
        signals = [
            Signal(
                company_id=company_id,
                reason="renewal_window_open_120d",
                signal_strength=80,
                payload={
                    "next_renewal_date": renewal.isoformat(),
                    "campaign_window_start": start.isoformat(),
                },
                dedupe_key=f"renewal:{company_id}:{renewal.isoformat()}",
                created_at=min(self.now, dt.datetime.combine(start, dt.time(6), tzinfo=dt.UTC)),
                processed_at=self.ago(rng.uniform(0, 5)) if rng.random() < 0.5 else None,
            )
            for company_id, renewal, start in in_window
        ]
        intelligence = []
        for company in self.companies:
            if rng.random() > 0.3:
                continue
            reason, strength, headline = rng.choice(SIGNALS)
            detected = self.ago(rng.uniform(0, 90))
            title = headline.format(
                name=company.company_name,
                amount=rng.choice([8, 12, 25, 40]),
                series=rng.choice("ABC"),
                count=rng.randint(5, 30),
            )
            contact = next(
                (s.contact_id for s in self.slots if s.company_id == company.pk and s.contact_id),
                None,
            )
            signals.append(
                Signal(
                    company=company,
                    contact_id=contact if reason == "executive_movement" else None,
                    reason=reason,
                    signal_strength=strength,
                    payload={"headline": title},
                    dedupe_key=f"{reason}:{company.pk}:{detected.date().isoformat()}",
                    created_at=detected,
                    processed_at=detected + timedelta(hours=6) if rng.random() < 0.5 else None,
                )
            )
            intelligence.append(
                CompanyIntelligence(
                    company=company,
                    intelligence_type="news" if reason == "funding_raised" else "signal",
                    source=rng.choice(["Google News", "LinkedIn", "Crunchbase", "press release"]),
                    title=title,
                    url=f"https://www.{company.domain}/news/{detected:%Y-%m-%d}",
                    score=Decimal(strength),
                    detected_at=detected,
                    payload={"reason": reason},
                )
            )
        signals = Signal.objects.bulk_create(signals)
        CompanyIntelligence.objects.bulk_create(intelligence)
        with connection.cursor() as cursor:
            if has_generator:
                cursor.execute("SELECT bit.generate_renewal_signals(current_date)")
            if has_scores:
                cursor.execute("SELECT * FROM bit.recalculate_scores(now())")
                return
        totals = {}
        for s in signals:
            totals.setdefault(s.company_id, {})[s.reason] = s.signal_strength
        CompanyScore.objects.bulk_create(
            [
                CompanyScore(
                    company_id=company_id,
                    total_score=min(100, sum(b.values()) * 2 // 3),
                    signal_breakdown=b,
                )
                for company_id, b in totals.items()
            ]
        )

    def ingest_raw_rows(self) -> None:
        """~40 raw rows through intake.f_ingest_json; half promoted by vault.f_promote_contacts."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regprocedure('intake.f_ingest_json(jsonb[], text, text)') IS NOT NULL "
                "AND to_regprocedure('vault.f_promote_contacts(bigint[])') IS NOT NULL"
            )
            if not cursor.fetchone()[0]:
                self.stdout.write(
                    "Note: intake.f_ingest_json is not installed; no raw loads seeded."
                )
                return
        rng = self.rng
        rows = []
        for i in range(40):
            company = rng.choice(self.companies)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            row = {
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{i}@{company.domain}".lower(),
                "title": rng.choice(ROLE_TITLES[rng.choice(ROLES)] + OTHER_TITLES),
                "company": company.company_name,
                "website": company.website_url,
            }
            if i % 13 == 5:
                row.pop("email")  # vendors send rows without an address; ingest reports them
            rows.append(json.dumps(row))
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT load_id, status FROM intake.f_ingest_json(%s::jsonb[], %s, %s)",
                    [rows, "apollo", f"demo-{self.now:%Y%m%d}-001"],
                )
                pending = [lid for lid, status in cursor.fetchall() if status == "pending"]
                cursor.execute(
                    "SELECT promoted_count, updated_count, failed_count "
                    "FROM vault.f_promote_contacts(%s::bigint[])",
                    [pending[: len(pending) // 2]],
                )
                promoted, updated, failed = cursor.fetchone()
        except Exception as exc:  # another engineer's function: report, keep the demo data
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            self.stdout.write(f"Note: raw intake skipped ({exc.__class__.__name__}: {reason}).")
            return
        self.stdout.write(
            f"Raw intake: {len(pending)} rows pending, promoted {promoted} "
            f"(updated {updated}, failed {failed})."
        )
