"""A labelled synthetic population for the duplicate detector (fixed seed, so reproducible).

Each record carries the id of the true identity it belongs to. Duplicates are realistic
variations of one identity (e-mail +tags, googlemail/gmail and dots, upper case, nicknames,
typos, LinkedIn URL variants, phone formats, personal vs work e-mail, job changes); near-misses
are different identities that look alike (two John Smiths at different companies, a father and
son with the same name, Sr./Jr. at the same family company).
"""

from __future__ import annotations

import random

from companies.models import Company
from people.models import Contact

FIRST = [
    "Robert",
    "William",
    "Elizabeth",
    "Katherine",
    "James",
    "Michael",
    "Richard",
    "Thomas",
    "Joseph",
    "David",
    "Daniel",
    "Christopher",
    "Matthew",
    "Anthony",
    "Steven",
    "Andrew",
    "Edward",
    "Kenneth",
    "Gregory",
    "Jennifer",
    "Margaret",
    "Patricia",
    "Deborah",
    "Susan",
    "Nicholas",
    "Samuel",
    "Benjamin",
    "Alexander",
    "Timothy",
    "Charles",
    "Laura",
    "Olivia",
    "Sophia",
    "Grace",
    "Hannah",
    "Victor",
    "Oscar",
    "Felix",
    "Irene",
    "Nora",
]
NICK = {
    "Robert": "Bob",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Katherine": "Kate",
    "James": "Jim",
    "Michael": "Mike",
    "Richard": "Rick",
    "Thomas": "Tom",
    "Joseph": "Joe",
    "David": "Dave",
    "Daniel": "Dan",
    "Christopher": "Chris",
    "Matthew": "Matt",
    "Anthony": "Tony",
    "Steven": "Steve",
    "Andrew": "Andy",
    "Edward": "Ted",
    "Kenneth": "Ken",
    "Gregory": "Greg",
    "Jennifer": "Jen",
    "Margaret": "Maggie",
    "Patricia": "Patty",
    "Deborah": "Debbie",
    "Susan": "Sue",
    "Nicholas": "Nick",
    "Samuel": "Sam",
    "Benjamin": "Ben",
    "Alexander": "Alex",
    "Timothy": "Tim",
    "Charles": "Charlie",
}
LAST = [
    "Anderson",
    "Baker",
    "Carter",
    "Dawson",
    "Ellison",
    "Fletcher",
    "Garrison",
    "Holloway",
    "Ingram",
    "Jefferson",
    "Kowalski",
    "Lambert",
    "Montgomery",
    "Nakamura",
    "Okafor",
    "Petersen",
    "Quinlan",
    "Rutherford",
    "Sandoval",
    "Thornton",
    "Underwood",
    "Valentine",
    "Whitaker",
    "Yamamoto",
    "Zimmerman",
    "Abernathy",
    "Blackwell",
    "Castellano",
    "Donovan",
    "Eastwood",
    "Fairbanks",
    "Gallagher",
    "Hendricks",
    "Iverson",
    "Jablonski",
    "Kensington",
    "Lindqvist",
    "Maldonado",
    "Northcott",
    "Ostrowski",
]
VARIATIONS = [
    "email_plus_tag",
    "gmail_variant",
    "nickname_same_company",
    "typo_same_company",
    "linkedin_job_change",
    "phone_format",
    "personal_vs_work",
    "upper_case_name",
]


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _phone_formats(digits: str) -> tuple[str, str]:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return f"({a}) {b}-{c}", f"+1 {a}.{b}.{c}"


def build(seed: int = 20240605, identities: int = 240, companies: int = 30):
    """Create the population; return {contact_id: identity} and a description of the mix."""
    rng = random.Random(seed)
    comps = [
        Company.objects.create(
            company_name=f"Synthetic Co {i}", website_url=f"https://synthco{i}.com"
        )
        for i in range(companies)
    ]
    records: list[tuple[int, dict]] = []
    used_names: set[tuple[int, str, str]] = set()
    used_linkedin: set[str] = set()

    def add(identity: int, **fields):
        records.append((identity, fields))

    for ident in range(identities):
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            ci = rng.randrange(companies)
            # at most one Firstname Lastname per company and name-alike, so random collisions
            # of distinct identities stay the deliberate near-misses below
            if (ci, first, last) not in used_names and not any(
                (ci, f, last) in used_names for f in (first, NICK.get(first, first))
            ):
                break
        used_names.add((ci, first, last))
        comp = comps[ci]
        slug = f"{first.lower()}-{last.lower()}-{ident:04d}"
        used_linkedin.add(slug)
        digits = f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}"
        work = f"{first.lower()}.{last.lower()}{ident}@synthco{ci}.com"
        base = dict(
            full_name=f"{first} {last}",
            email=work,
            company=comp,
            title="Director",
            linkedin_url=f"https://www.linkedin.com/in/{slug}/",
        )
        if rng.random() < 0.5:
            base["phone"] = _phone_formats(digits)[0]
        add(ident, **base)
        if rng.random() >= 0.45:
            continue
        kind = rng.choice(VARIATIONS)
        dup = dict(full_name=f"{first} {last}", company=comp, title="Director")
        if kind == "email_plus_tag":
            dup["email"] = f"{first.lower()}.{last.lower()}{ident}+crm@synthco{ci}.com".upper()
        elif kind == "gmail_variant":
            records[-1][1]["email"] = f"{first.lower()}.{last.lower()}.{ident}@gmail.com"
            dup["email"] = f"{first.lower()}{last.lower()}{ident}+news@googlemail.com"
            dup["company"] = None
        elif kind == "nickname_same_company" and first in NICK:
            dup["full_name"] = f"{NICK[first]} {last}"
        elif kind == "typo_same_company":
            dup["full_name"] = f"{first} {_typo(last, rng)}"
        elif kind == "linkedin_job_change":
            dup["company"] = comps[(ci + 1 + rng.randrange(companies - 1)) % companies]
            dup["email"] = (
                f"{first.lower()[0]}{last.lower()}{ident}@synthco{comps.index(dup['company'])}.com"
            )
            dup["linkedin_url"] = f"http://linkedin.com/in/{slug}/en?trk=public_profile"
        elif kind == "phone_format":
            records[-1][1]["phone"] = _phone_formats(digits)[0]
            dup["phone"] = _phone_formats(digits)[1]
            dup["company"] = None
            dup["full_name"] = f"{first} {last}"
        elif kind == "personal_vs_work":
            dup["email"] = f"{last.lower()}.{first.lower()}{ident}@yahoo.com"
        elif kind == "upper_case_name":
            dup["full_name"] = f"{first.upper()} {last.upper()}"
            dup["email"] = f"{first[0].lower()}{last.lower()}{ident}@synthco{ci}.com"
        else:
            dup["full_name"] = f"{first} {last}"
        add(ident, **dup)

    # near-misses: distinct identities that look alike
    nxt = identities
    for i in range(6):  # John Smith at different companies, different e-mails
        add(nxt, full_name="John Smith", company=comps[i], email=f"john.smith@synthco{i}.com")
        nxt += 1
    for i in range(3):  # father and son, same name, different domains and companies
        add(
            nxt,
            full_name="Walter Greene",
            company=comps[10 + i],
            email=f"walter.greene{i}@synthco{10 + i}.com",
        )
        nxt += 1
    for i in range(3):  # Sr. and Jr. at the same family company and domain
        comp = comps[20 + i]
        add(
            nxt,
            full_name="Harold Pierce Sr.",
            company=comp,
            email=f"hpierce.sr@synthco{20 + i}.com",
        )
        add(
            nxt + 1,
            full_name="Harold Pierce Jr.",
            company=comp,
            email=f"hpierce.jr@synthco{20 + i}.com",
        )
        nxt += 2
    for i in range(3):  # same personal name, gmail, no company: nothing links them
        add(nxt, full_name="Maria Garcia", email=f"maria.garcia.{i}{i}@gmail.com")
        nxt += 1

    created = Contact.objects.bulk_create([Contact(**f) for _i, f in records])
    truth = {c.pk: ident for c, (ident, _f) in zip(created, records, strict=True)}
    return truth


def true_pairs(truth: dict[int, int]) -> set[tuple[int, int]]:
    by_identity: dict[int, list[int]] = {}
    for pid, ident in truth.items():
        by_identity.setdefault(ident, []).append(pid)
    pairs = set()
    for ids in by_identity.values():
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b))
    return pairs
