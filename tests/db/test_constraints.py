"""Every CHECK, NOT NULL and unique rule rejects a bad value through raw SQL as the app role.

Table-driven: each case is a list of statements; all but the last must succeed, the last must
fail with the given SQLSTATE (23514 check, 23505 unique, 23502 not null). Each case runs in its
own savepoint so the error is contained. Placeholders name the rows of the ``base`` fixture.
The intake tables (raw_loads, vault) are the RLS suite's and are not covered here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

CHECK, UNIQUE, NOT_NULL = "23514", "23505", "23502"
ARABIC_INDIC_PHONE = "+٩٧١٥٠١٢٣٤٥٦٧"  # +971501234567 in Arabic-Indic digits


@pytest.fixture
def base(db):
    """A company with three slots, two people, a campaign with a member and a signal."""
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO company.company (company_name, website_url) "
            "VALUES ('Base Co', 'https://base.example.com') RETURNING company_id"
        )
        company = c.fetchone()[0]
        c.execute(
            "INSERT INTO company.company_slot (company_id, role_code) "
            "SELECT %s, r FROM unnest(ARRAY['CEO','CFO','HR']) r",
            [company],
        )
        c.execute(
            "INSERT INTO people.contact (full_name, email, company_id) "
            "VALUES ('Base Person', 'base.person@example.com', %s) RETURNING contact_id",
            [company],
        )
        contact = c.fetchone()[0]
        c.execute(
            "INSERT INTO people.contact (full_name, email) "
            "VALUES ('Other Person', 'other.person@example.com') RETURNING contact_id"
        )
        contact2 = c.fetchone()[0]
        c.execute(
            "INSERT INTO people.contact (full_name) VALUES ('Third Person') RETURNING contact_id"
        )
        contact3 = c.fetchone()[0]
        # Green, so both may join a campaign (marketing 0003 admits green emails only).
        c.execute(
            "INSERT INTO people.contact_verification (contact_id, email_status) "
            "VALUES (%s, 'green'), (%s, 'green')",
            [contact, contact2],
        )
        c.execute("INSERT INTO marketing.campaign (name) VALUES ('Base') RETURNING campaign_id")
        campaign = c.fetchone()[0]
        c.execute(
            "INSERT INTO marketing.campaign_contact (campaign_id, contact_id) VALUES (%s, %s)",
            [campaign, contact],
        )
        c.execute(
            "INSERT INTO bit.signal (company_id, reason, dedupe_key) "
            "VALUES (%s, 'funding_raised', 'base-key')",
            [company],
        )
    return {
        "company": company,
        "contact": contact,
        "contact2": contact2,
        "contact3": contact3,
        "campaign": campaign,
    }


def run_case(statements: list[str], ids: dict) -> str | None:
    """Run the statements in one savepoint; return the SQLSTATE of the failure, if any."""
    try:
        with transaction.atomic(), connection.cursor() as c:
            for stmt in statements:
                c.execute(stmt.format(**ids))
    except DatabaseError as exc:
        return getattr(exc.__cause__, "sqlstate", None)
    return None


YEAR = dt.date.today().year
CO = "INSERT INTO company.company (company_name, {cols}) VALUES ('Bad Co', {vals})"
PERSON = "INSERT INTO people.contact (full_name, {cols}) VALUES ('Bad Person', {vals})"
CAMPAIGN = "INSERT INTO marketing.campaign (name, {cols}) VALUES ('Bad', {vals})"
MESSAGE = "INSERT INTO marketing.message_log (contact_id, {cols}) VALUES ({{contact}}, {vals})"
RESOLUTION = (
    "INSERT INTO people.resolution_queue (contact_primary_id, contact_duplicate_id, "
    "conflict_type, score{cols}) VALUES ({a}, {b}, {kind}, {score}{vals})"
)


def co(cols: str, vals: str) -> str:
    return CO.format(cols=cols, vals=vals)


def person(cols: str, vals: str) -> str:
    return PERSON.format(cols=cols, vals=vals)


def campaign(cols: str, vals: str) -> str:
    return CAMPAIGN.format(cols=cols, vals=vals)


def message(cols: str, vals: str) -> str:
    return MESSAGE.format(cols=cols, vals=vals)


def resolution(a="{contact}", b="{contact2}", kind="'email'", score="0.9", cols="", vals=""):
    return RESOLUTION.format(a=a, b=b, kind=kind, score=score, cols=cols, vals=vals)


REJECTED = [
    # company.company
    ("company name blank", [co("city", "NULL").replace("'Bad Co'", "'   '")], CHECK),
    (
        "company name missing",
        ["INSERT INTO company.company (website_url) VALUES ('https://x.example.com')"],
        NOT_NULL,
    ),
    ("employee_count -1", [co("employee_count", "-1")], CHECK),
    ("revenue -1", [co("revenue", "-1")], CHECK),
    ("renewal_month 0", [co("renewal_month", "0")], CHECK),
    ("renewal_month 13", [co("renewal_month", "13")], CHECK),
    ("renewal window -1", [co("renewal_notice_window_days", "-1")], CHECK),
    ("renewal window 366", [co("renewal_notice_window_days", "366")], CHECK),
    ("renewal window NULL", [co("renewal_notice_window_days", "NULL")], NOT_NULL),
    ("company status bogus", [co("status", "'bogus'")], CHECK),
    ("company source_system NULL", [co("source_system", "NULL")], NOT_NULL),
    ("founded_year 1699", [co("founded_year", "1699")], CHECK),
    ("founded_year next year", [co("founded_year", str(YEAR + 1))], CHECK),
    ("company Barton ID malformed", [co("company_unique_id", "'04.04.01.26.1.1'")], CHECK),
    ("company Barton ID of a person", [co("company_unique_id", "'04.04.02.26.00001.001'")], CHECK),
    (
        "domain unique after normalisation",
        [co("website_url", "'https://www.BASE.example.com/about'")],
        UNIQUE,
    ),
    # company.company_slot
    (
        "slot role CTO",
        ["INSERT INTO company.company_slot (company_id, role_code) VALUES ({company}, 'CTO')"],
        CHECK,
    ),
    (
        "slot role lower-case ceo",
        ["INSERT INTO company.company_slot (company_id, role_code) VALUES ({company}, 'ceo')"],
        CHECK,
    ),
    (
        "duplicate (company, role) slot",
        ["INSERT INTO company.company_slot (company_id, role_code) VALUES ({company}, 'CEO')"],
        UNIQUE,
    ),
    (
        "slot without company",
        ["INSERT INTO company.company_slot (company_id, role_code) VALUES (NULL, 'CEO')"],
        NOT_NULL,
    ),
    (
        "slot Barton ID malformed",
        [
            "INSERT INTO company.company_slot (company_id, role_code, company_slot_unique_id) "
            "VALUES ({company}, 'HR', 'slot-1')",
        ],
        CHECK,
    ),
    # people.contact
    ("person full_name blank", [person("email", "NULL").replace("'Bad Person'", "' '")], CHECK),
    ("person full_name missing", ["INSERT INTO people.contact (email) VALUES (NULL)"], NOT_NULL),
    ("email without @", [person("email", "'not-an-email'")], CHECK),
    ("email without dot in domain", [person("email", "'x@localhost'")], CHECK),
    ("email with a space", [person("email", "'jo hn@example.com'")], CHECK),
    (
        "live email unique case-insensitively",
        [person("email", "'Base.Person@Example.COM'")],
        UNIQUE,
    ),
    ("E.164 Arabic-Indic digits", [person("work_phone_e164", f"'{ARABIC_INDIC_PHONE}'")], CHECK),
    ("E.164 without plus", [person("work_phone_e164", "'971501234567'")], CHECK),
    ("E.164 leading zero", [person("work_phone_e164", "'+0501234567'")], CHECK),
    ("E.164 with spaces", [person("personal_phone_e164", "'+1 555 010 0199'")], CHECK),
    ("E.164 too long", [person("personal_phone_e164", "'+1234567890123456'")], CHECK),
    ("E.164 too short", [person("personal_phone_e164", "'+12345'")], CHECK),
    (
        "E.164 Arabic-Indic personal phone",
        [person("personal_phone_e164", f"'{ARABIC_INDIC_PHONE}'")],
        CHECK,
    ),
    ("person status bogus", [person("status", "'bogus'")], CHECK),
    ("merged without merged_into", [person("status", "'merged'")], CHECK),
    ("merged_into on a live person", [person("merged_into_id", "{contact}")], CHECK),
    (
        "merged into itself",
        [
            "UPDATE people.contact SET status = 'merged', merged_into_id = contact_id "
            "WHERE contact_id = {contact2}"
        ],
        CHECK,
    ),
    ("person Barton ID malformed", [person("unique_id", "'04.04.01.26.00001.001'")], CHECK),
    # people.contact_verification / email_verification
    (
        "verification status blue",
        [
            "INSERT INTO people.contact_verification (contact_id, email_status) "
            "VALUES ({contact3}, 'blue')"
        ],
        CHECK,
    ),
    (
        "verification confidence 100.01",
        [
            "UPDATE people.contact_verification SET email_confidence = 100.01 "
            "WHERE contact_id = {contact}"
        ],
        CHECK,
    ),
    (
        "verification confidence -1",
        [
            "UPDATE people.contact_verification SET email_confidence = -1 "
            "WHERE contact_id = {contact}"
        ],
        CHECK,
    ),
    (
        "second verification row for one person",
        ["INSERT INTO people.contact_verification (contact_id) VALUES ({contact})"],
        UNIQUE,
    ),
    (
        "email_verification status purple",
        [
            "INSERT INTO people.email_verification (contact_id, email_status) "
            "VALUES ({contact}, 'purple')"
        ],
        CHECK,
    ),
    (
        "email_verification confidence 101",
        [
            "INSERT INTO people.email_verification (contact_id, email_status, confidence) "
            "VALUES ({contact}, 'green', 101)"
        ],
        CHECK,
    ),
    # people.resolution_queue
    ("resolution pair repeated", [resolution(), resolution()], UNIQUE),
    (
        "resolution pair repeated in the other order",
        [resolution(), resolution(a="{contact2}", b="{contact}")],
        UNIQUE,
    ),
    ("resolution pair of one person", [resolution(b="{contact}")], CHECK),
    ("resolution score 1.001", [resolution(score="1.001")], CHECK),
    ("resolution score -0.1", [resolution(score="-0.1")], CHECK),
    ("resolution conflict_type vibes", [resolution(kind="'vibes'")], CHECK),
    (
        "resolution status maybe",
        [resolution(cols=", resolution_status", vals=", 'maybe'")],
        CHECK,
    ),
    # marketing.campaign
    ("campaign name blank", [campaign("type", "'nurture'").replace("'Bad'", "''")], CHECK),
    ("campaign type spam", [campaign("type", "'spam'")], CHECK),
    ("campaign status live", [campaign("status", "'live'")], CHECK),
    ("campaign target_roles with CTO", [campaign("target_roles", "ARRAY['CEO','CTO']")], CHECK),
    ("campaign sent_count -1", [campaign("sent_count", "-1")], CHECK),
    ("campaign target_count -1", [campaign("target_count", "-1")], CHECK),
    # marketing.campaign_contact
    (
        "campaign member twice",
        [
            "INSERT INTO marketing.campaign_contact (campaign_id, contact_id) "
            "VALUES ({campaign}, {contact})"
        ],
        UNIQUE,
    ),
    (
        "campaign member status lost",
        [
            "INSERT INTO marketing.campaign_contact (campaign_id, contact_id, status) "
            "VALUES ({campaign}, {contact2}, 'lost')"
        ],
        CHECK,
    ),
    (
        "campaign member role CTO",
        [
            "INSERT INTO marketing.campaign_contact (campaign_id, contact_id, role_code) "
            "VALUES ({campaign}, {contact2}, 'CTO')"
        ],
        CHECK,
    ),
    # marketing.message_log
    ("message direction sideways", [message("direction", "'sideways'")], CHECK),
    ("message channel fax", [message("channel", "'fax'")], CHECK),
    ("message type spam", [message("message_type", "'spam'")], CHECK),
    ("message status lost", [message("status", "'lost'")], CHECK),
    # marketing.ac_handoff and friends
    (
        "handoff rejected without reason",
        ["INSERT INTO marketing.ac_handoff (company_id, status) VALUES ({company}, 'rejected')"],
        CHECK,
    ),
    (
        "handoff status bogus",
        ["INSERT INTO marketing.ac_handoff (company_id, status) VALUES ({company}, 'bogus')"],
        CHECK,
    ),
    (
        "attribution type hug",
        [
            "INSERT INTO marketing.attribution (contact_id, conversion_type) "
            "VALUES ({contact}, 'hug')"
        ],
        CHECK,
    ),
    (
        "pipeline event about a robot",
        ["INSERT INTO marketing.pipeline_events (event_type, entity_type) VALUES ('x', 'robot')"],
        CHECK,
    ),
    # bit
    (
        "signal strength 101",
        [
            "INSERT INTO bit.signal (company_id, reason, signal_strength) "
            "VALUES ({company}, 'job_postings', 101)"
        ],
        CHECK,
    ),
    (
        "signal strength -1",
        [
            "INSERT INTO bit.signal (company_id, reason, signal_strength) "
            "VALUES ({company}, 'job_postings', -1)"
        ],
        CHECK,
    ),
    (
        "signal reason blank",
        ["INSERT INTO bit.signal (company_id, reason) VALUES ({company}, '  ')"],
        CHECK,
    ),
    (
        "signal dedupe_key repeated",
        [
            "INSERT INTO bit.signal (company_id, reason, dedupe_key) "
            "VALUES ({company}, 'funding_raised', 'base-key')"
        ],
        UNIQUE,
    ),
    (
        "company score 101",
        ["INSERT INTO bit.company_score (company_id, total_score) VALUES ({company}, 101)"],
        CHECK,
    ),
    (
        "contact score -1",
        ["INSERT INTO bit.contact_score (contact_id, engagement_score) VALUES ({contact}, -1)"],
        CHECK,
    ),
    # company.intelligence, people.enrichment
    (
        "company intelligence type gossip",
        [
            "INSERT INTO company.intelligence (company_id, intelligence_type) "
            "VALUES ({company}, 'gossip')"
        ],
        CHECK,
    ),
    (
        "company intelligence score 100.5",
        [
            "INSERT INTO company.intelligence (company_id, intelligence_type, score) "
            "VALUES ({company}, 'score', 100.5)"
        ],
        CHECK,
    ),
    (
        "enrichment status bogus",
        [
            "INSERT INTO people.enrichment (contact_id, agent_name, enrichment_type, status) "
            "VALUES ({contact}, 'apify', 'profile', 'bogus')"
        ],
        CHECK,
    ),
]

KNOWN_MISSING: dict[str, str] = {}


def _params(cases):
    out = []
    for desc, stmts, state in cases:
        marks = []
        if desc in KNOWN_MISSING:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_MISSING[desc]))
        out.append(pytest.param(stmts, state, id=desc, marks=marks))
    return out


@pytest.mark.parametrize(("statements", "sqlstate"), _params(REJECTED))
def test_bad_value_is_rejected_with_sqlstate(base, statements, sqlstate):
    """The database rejects the bad value with the expected SQLSTATE, whoever writes it."""
    assert run_case(statements, base) == sqlstate


ACCEPTED = [
    (
        "boundary values of a company",
        [
            co(
                "employee_count, revenue, renewal_month, renewal_notice_window_days",
                "0, 0, 1, 0",
            ),
            co(
                "renewal_month, renewal_notice_window_days, founded_year",
                f"12, 365, {YEAR}",
            ).replace("'Bad Co'", "'Second Co'"),
            co("founded_year", "1700").replace("'Bad Co'", "'Old Co'"),
        ],
    ),
    (
        "company without renewal month or domain",
        [co("renewal_month, website_url", "NULL, NULL"), co("city", "'Paris'")],
    ),
    (
        "a valid person with E.164 phones",
        [
            person(
                "email, work_phone_e164, personal_phone_e164",
                "'ok@example.com', '+971501234567', '+14155550100'",
            )
        ],
    ),
    (
        "live email may repeat a merged person's email",
        [
            person(
                "email, status, merged_into_id", "'BASE.PERSON@example.com', 'merged', {contact}"
            ),
            "UPDATE people.contact SET status = 'merged', merged_into_id = {contact}, "
            "email = 'base.person@example.com' WHERE contact_id = {contact2}",
        ],
    ),
    (
        "people without email",
        [person("email", "NULL"), person("email", "NULL").replace("'Bad Person'", "'Second'")],
    ),
    (
        "verification boundaries",
        [
            "UPDATE people.contact_verification SET email_status = 'green', "
            "email_confidence = 100 WHERE contact_id = {contact}",
            "INSERT INTO people.contact_verification (contact_id, email_status, email_confidence)"
            " VALUES ({contact3}, 'red', 0)",
        ],
    ),
    ("resolution score 1", [resolution(score="1")]),
    ("resolution score 0", [resolution(score="0")]),
    (
        "campaign of every type with allowed roles",
        [
            campaign("type, status, target_roles", f"'{t}', 'active', ARRAY['CEO','CFO','HR']")
            for t in ("cold_outreach", "nurture", "follow_up", "renewal")
        ],
    ),
    (
        "handoff rejected with a reason",
        [
            "INSERT INTO marketing.ac_handoff (company_id, status, reject_reason) "
            "VALUES ({company}, 'rejected', 'not a fit')"
        ],
    ),
    (
        "signal strength bounds and distinct dedupe keys",
        [
            "INSERT INTO bit.signal (company_id, reason, signal_strength, dedupe_key) "
            "VALUES ({company}, 'a', 0, 'k1'), ({company}, 'b', 100, 'k2'), "
            "({company}, 'c', 50, NULL), ({company}, 'd', 50, NULL)"
        ],
    ),
    (
        "inbound LinkedIn reply",
        [
            message(
                "direction, channel, message_type, status",
                "'inbound', 'linkedin', 'reply', 'replied'",
            )
        ],
    ),
]


@pytest.mark.parametrize("statements", [pytest.param(s, id=d) for d, s in ACCEPTED])
def test_valid_rows_are_accepted(base, statements):
    """Values at the edges of every rule are accepted."""
    assert run_case(statements, base) is None


def test_uppercase_domain_is_normalized_by_the_trigger(base):
    """A domain written in capitals (or as a URL) is stored lower-case, so the CHECK holds."""
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO company.company (company_name, domain) "
            "VALUES ('Caps', 'WWW.CAPS.Example.COM') RETURNING domain"
        )
        assert c.fetchone()[0] == "caps.example.com"
        c.execute(
            "UPDATE company.company SET domain = 'HTTPS://Base.Example.com/path' "
            "WHERE company_id = %s RETURNING domain",
            [base["company"]],
        )
        assert c.fetchone()[0] == "base.example.com"


@pytest.mark.owner
@pytest.mark.django_db
def test_domain_lowercase_check_holds_without_the_trigger():
    """With triggers off (replica mode, owner only) the CHECK itself still rejects capitals."""
    with connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")
        assert (
            run_case(
                ["INSERT INTO company.company (company_name, domain) VALUES ('Caps', 'Caps.com')"],
                {},
            )
            == CHECK
        )
