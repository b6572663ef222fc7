"""``build_plan``: the demo data set as plain Python, a pure function of ``(companies, seed)``."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from outreach_admin.fields import ROLES
from overview.demo.vocabulary import (
    DUPLICATE_KINDS,
    EMAIL_STATUS_SHARE,
    FIRST_NAMES,
    FREE_MAIL,
    INDUSTRIES,
    LAST_NAMES,
    LEGAL,
    NICKNAMES,
    OTHER_TITLES,
    PREFIXES,
    ROLE_TITLES,
    SOURCES,
    STATES,
)


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
            legal = "" if tld == "org" else rng.choice(LEGAL)
            # ("Medical Group" + " Group" would read "Medical Group Group")
            name = base + ("" if base.endswith(legal.strip() or "\0") else legal)
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
    _plan_unambiguous(plan, rng, max(3, companies // 25))
    return plan


def _plan_unambiguous(plan: DemoPlan, rng: random.Random, pairs: int) -> None:
    """Pending pairs the bulk merge may take: the same name at the same company, the second
    record's address the first's with a ``+tag`` (equal once normalised, distinct as stored, so
    the one-live-address rule holds). Without them the bulk-merge button has nothing to do."""
    taken = {p.duplicate_of for p in plan.people if p.duplicate_of is not None}
    candidates = [
        i
        for i, p in enumerate(plan.people)
        if i not in taken
        and p.company is not None
        and p.email
        and p.duplicate_of is None
        and plan.companies[p.company].status == "active"
    ]
    for original_index in rng.sample(candidates, min(pairs, len(candidates))):
        o = plan.people[original_index]
        local, domain = o.email.split("@", 1)
        tag = rng.choice(["events", "newsletter", "crm", "webinar"])
        plan.people.append(
            PersonPlan(
                company=o.company,
                first=o.first,
                last=o.last,
                title=o.title,
                email=f"{local}+{tag}@{domain}",
                phone=None,
                linkedin_url=None,
                email_status=None,
                verified_days=round(rng.uniform(0, 60), 2),
                profile_days=None,
                source=rng.choice([s for s in SOURCES if s != o.source]),
                duplicate_of=original_index,
                duplicate_kind="plus_tag",
                queue_status="pending",
            )
        )


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
