"""Trigger-kept summaries (issue 18) equal the direct aggregate after every kind of write.

``company.slot_coverage`` (companies 0090: active companies per roles-present/roles-filled
mask), ``company.renewal_count`` (companies 0092: companies per renewal month, notice window
and stored dates) and ``marketing.member_status_count`` (marketing 0020: members per campaign
and status) are kept by statement-level triggers with transition tables and recomputed after
TRUNCATE. Each test writes one way — insert, update, delete, merge, promote, truncate —
through the app's services where one exists (as the app role, so the SECURITY DEFINER triggers
are exercised as in a request) and compares the summary with the aggregate computed from the
source tables.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies import services as company_services
from companies.models import Company, CompanySlot
from intake.services import batch_ingest, loads_promote
from marketing.models import Campaign, CampaignContact
from marketing.services.campaigns import campaign_member_remove, member_record_outcome
from people.models import Contact, ContactVerification, ResolutionQueue
from people.services.merge import person_merge
from tests import builders

pytestmark = pytest.mark.django_db

COVERAGE_DIRECT = """
SELECT present, filled, count(*) FROM (
    SELECT coalesce(bit_or(CASE s.role_code WHEN 'CEO' THEN 1 WHEN 'CFO' THEN 2
                                            WHEN 'HR' THEN 4 END), 0) AS present,
           coalesce(bit_or(CASE s.role_code WHEN 'CEO' THEN 1 WHEN 'CFO' THEN 2
                                            WHEN 'HR' THEN 4 END)
                    FILTER (WHERE s.contact_id IS NOT NULL), 0) AS filled
    FROM company.company c LEFT JOIN company.company_slot s ON s.company_id = c.company_id
    WHERE c.status = 'active' GROUP BY c.company_id) t
GROUP BY 1, 2
"""
MEMBERS_DIRECT = (
    "SELECT campaign_id, status, count(*) FROM marketing.campaign_contact GROUP BY 1, 2"
)
RENEWAL_COUNT_DIRECT = """
SELECT renewal_month, renewal_notice_window_days, next_renewal_date, campaign_window_start,
       count(*)
FROM company.company WHERE renewal_month IS NOT NULL GROUP BY 1, 2, 3, 4
"""
# The dashboard's renewals by month as it was computed before company.renewal_count: over every
# company (the stored dates, or the computed ones where the stored renewal is past).
RENEWALS_BY_MONTH_DIRECT = """
WITH dated AS (
    SELECT c.company_id,
           CASE WHEN c.next_renewal_date >= current_date THEN c.next_renewal_date
                ELSE company.next_renewal_date(c.renewal_month, current_date) END AS renewal,
           CASE WHEN c.next_renewal_date >= current_date THEN c.campaign_window_start
                ELSE company.next_renewal_date(c.renewal_month, current_date)
                     - c.renewal_notice_window_days END AS window_start
    FROM company.company c WHERE c.renewal_month IS NOT NULL
)
SELECT m.month::date, count(d.company_id),
       count(*) FILTER (WHERE d.window_start <= current_date), min(d.window_start)
FROM generate_series(date_trunc('month', current_date - 1) + interval '1 month',
                     date_trunc('month', current_date - 1) + interval '12 months',
                     interval '1 month') AS m(month)
LEFT JOIN dated d ON d.renewal = m.month::date AND d.window_start - current_date <= 365
GROUP BY m.month
"""


READINESS_COLUMNS = (
    "company_id, company_name, industry, state_region, company_status, is_archived,"
    " renewal_month, window_days, next_renewal_date, campaign_window_start, days_until_renewal,"
    " days_until_window, in_window, ceo_contact_id, ceo_name, ceo_email_status,"
    " ceo_contact_status, cfo_contact_id, cfo_name, cfo_email_status, cfo_contact_status,"
    " hr_contact_id, hr_name, hr_email_status, hr_contact_status, filled_count, green_count,"
    " green_roles, pending_duplicates, open_campaign_id, open_campaign_name, ready, missing"
)


def readiness_ok():
    """The page's kept view (and its table) equal the live readiness view, row for row."""
    live = _rows(f"SELECT {READINESS_COLUMNS} FROM marketing.vw_renewal_readiness")
    kept = _rows(f"SELECT {READINESS_COLUMNS} FROM marketing.vw_renewal_readiness_kept")
    assert kept == live
    table = _rows("SELECT company_id, ready_when_open, blockers FROM marketing.renewal_readiness")
    assert [r[0] for r in table] == [r[0] for r in live]
    return live


def _rows(sql):
    with connection.cursor() as cur:
        cur.execute(sql)
        return sorted(tuple(r) for r in cur.fetchall())


def coverage_ok():
    """The slot-coverage summary (and each company's stored masks) equal the direct aggregate."""
    direct = _rows(COVERAGE_DIRECT)
    assert _rows("SELECT present, filled, companies FROM company.slot_coverage") == direct
    masks = "SELECT present, filled, count(*) FROM company.slot_mask GROUP BY 1, 2"
    assert _rows(masks) == direct
    return direct


def renewals_ok():
    """The renewal-count summary equals the direct aggregate, and the dashboard's renewals by
    month (read from it) equal the same figures computed over every company."""
    from overview.dashboard import renewals_by_month

    direct = _rows(RENEWAL_COUNT_DIRECT)
    summary = (
        "SELECT renewal_month, window_days, next_renewal_date, campaign_window_start, companies"
        " FROM company.renewal_count"
    )
    assert _rows(summary) == direct
    with CaptureQueriesContext(connection) as queries:
        found = renewals_by_month()
    assert len(queries) == 1  # one query, over the summary rather than every company
    assert "company.renewal_count" in queries[0]["sql"]
    assert "company.company " not in queries[0]["sql"]
    months = [(m["month"], m["renewals"], m["in_window"], m["first_window"]) for m in found]
    assert sorted(months) == _rows(RENEWALS_BY_MONTH_DIRECT)
    return direct


def members_ok():
    """The member-status summary equals the direct aggregate; returns it."""
    direct = _rows(MEMBERS_DIRECT)
    summary = "SELECT campaign_id, status, members FROM marketing.member_status_count"
    assert _rows(summary) == direct
    return direct


def _filled_company(person=None, **fields):
    c = builders.company(**fields)
    person = person or builders.contact(company=c, email_status="green")
    CompanySlot.objects.filter(company=c, role_code="CFO").update(contact=person)
    return c, person


def _members(n=3):
    """A draft campaign with ``n`` members (green people holding a CFO slot)."""
    campaign = Campaign.objects.create(name="Wave", type="renewal")
    rows = []
    for _ in range(n):
        c, person = _filled_company()
        rows.append(
            CampaignContact.objects.create(
                campaign=campaign, contact=person, company=c, role_code="CFO"
            )
        )
    return campaign, rows


def test_coverage_after_inserts():
    """New companies (active or not) and their slots are counted at the right masks."""
    before = coverage_ok()
    builders.company()
    builders.company(status="inactive")
    builders.company(slots=False)
    c = builders.company(slots=False)
    CompanySlot.objects.create(company=c, role_code="HR")
    after = coverage_ok()
    assert after != before
    assert (0, 0, 1) in after or any(r[:2] == (0, 0) for r in after)


def test_coverage_after_updates():
    """Filling, clearing, moving a slot and a company leaving/entering 'active' keep it exact."""
    c = builders.company()
    other = builders.company()
    person = builders.contact(company=c, email_status="green")
    slot = builders.slot(c, "CEO")
    company_services.slot_assign(slot_id=slot.pk, contact_id=person.pk, actor="alice")
    assert any(r[1] == 1 for r in coverage_ok())
    company_services.slot_clear(
        slot_id=slot.pk, actor="alice", expected_contact_id=person.pk, reason="left"
    )
    coverage_ok()
    CompanySlot.objects.filter(pk=slot.pk).update(contact=person)
    coverage_ok()
    # A slot moved to another company changes both companies' masks.
    CompanySlot.objects.filter(company=other, role_code="CEO").delete()
    CompanySlot.objects.filter(pk=slot.pk).update(company=other)
    coverage_ok()
    Company.objects.filter(pk=c.pk).update(status="inactive")
    coverage_ok()
    Company.objects.filter(pk__in=[c.pk, other.pk]).update(status="active")
    coverage_ok()
    Company.objects.filter(pk=c.pk).update(company_name="Renamed")  # no status change
    coverage_ok()


@pytest.mark.owner  # the app role may not delete companies (field provenance is append-only)
def test_coverage_after_deletes():
    """Slot deletes, Django's cascade and the database's deferred cascade keep it exact."""
    a, _ = _filled_company()
    b, _ = _filled_company()
    c, _ = _filled_company()
    CompanySlot.objects.filter(company=a, role_code="HR").delete()
    coverage_ok()
    b.delete()  # Django deletes the slots first, then the company
    coverage_ok()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM company.company WHERE company_id = %s", [c.pk])
    coverage_ok()  # the slots still wait for the deferred cascade
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # runs the cascade now
        cur.execute("SELECT count(*) FROM company.company_slot WHERE company_id = %s", [c.pk])
        assert cur.fetchone()[0] == 0
    coverage_ok()


def test_coverage_and_members_after_a_person_merge():
    """Merging a slotted member into another person keeps both summaries exact."""
    campaign, (member,) = _members(1)
    survivor = builders.contact("Pat Survivor", email_status="green")
    c2, absorbed = _filled_company()
    CompanySlot.objects.filter(company=c2, role_code="CEO").update(contact=member.contact)
    person_merge(survivor_id=survivor.pk, absorbed_id=member.contact_id, actor="alice")
    coverage_ok()
    members_ok()
    assert not CompanySlot.objects.filter(contact_id=member.contact_id).exists()


def test_coverage_after_promotion():
    """Promoted loads create companies with slots and fill them: the summary follows."""
    before = coverage_ok()
    rows = [
        {"email": "ceo@summary-one.example", "name": "Cee One", "title": "Founder & CEO"},
        {"email": "cfo@summary-one.example", "name": "Eff One", "title": "CFO"},
        {"email": "hr@summary-two.example", "name": "Aitch Two", "title": "HR Director"},
    ]
    batch_ingest(rows=rows, source="apollo", batch_id="summary-promote")
    result = loads_promote(load_ids=None)
    assert result.promoted_count == 3
    after = coverage_ok()
    assert after != before and any(r[1] for r in after)


@pytest.mark.owner
def test_coverage_after_truncates():
    """TRUNCATE of the slots leaves active companies at (0, 0); of the companies, nothing."""
    _filled_company()
    builders.company()
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key events
        cur.execute("TRUNCATE company.company_slot")
    assert coverage_ok() == [(0, 0, Company.objects.filter(status="active").count())]
    with connection.cursor() as cur:
        cur.execute("TRUNCATE company.company CASCADE")
    assert coverage_ok() == []


def test_renewal_count_after_inserts_updates_deletes():
    """New companies (with and without a renewal month), a changed month, notice window or
    stored date, a removed month, a no-op update and deletes keep the renewals exact."""
    before = renewals_ok()
    month = (datetime.date.today().month % 12) + 1
    a = builders.company(renewal_month=month)
    b = builders.company(renewal_month=month)
    c = builders.company(renewal_month=3, renewal_notice_window_days=30)
    builders.company()  # no renewal month: not counted
    after = renewals_ok()
    assert sum(r[-1] for r in after) == sum(r[-1] for r in before) + 3
    Company.objects.filter(pk=a.pk).update(renewal_month=7)
    renewals_ok()
    Company.objects.filter(pk=b.pk).update(renewal_notice_window_days=45)
    renewals_ok()
    Company.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(company_name="Same Co")  # no-op
    renewals_ok()
    Company.objects.filter(pk=c.pk).update(renewal_month=None)
    renewals_ok()


@pytest.mark.owner  # the app role may not delete companies (field provenance is append-only)
def test_renewal_count_after_a_past_stored_date_deletes_and_truncate():
    """A stored renewal in the past (the roll-forward has not run) is dated as the renewals page
    dates it; deleting companies and truncating them keep the counts exact (empty at last)."""
    a = builders.company(renewal_month=2)
    b = builders.company(renewal_month=2)
    builders.company(renewal_month=9)
    renewals_ok()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # as a missed roll leaves it
        cur.execute(
            "UPDATE company.company SET next_renewal_date = current_date - 1,"
            " campaign_window_start = current_date - 121 WHERE company_id = %s",
            [b.pk],
        )
        cur.execute("SET LOCAL session_replication_role = origin")
        cur.execute("SELECT company.refresh_renewal_count()")  # as bench.seed_scale does
    assert any(r[2] < datetime.date.today() for r in renewals_ok())
    a.delete()
    renewals_ok()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM company.company WHERE renewal_month = 9")
    renewals_ok()
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("TRUNCATE company.company CASCADE")
    assert renewals_ok() == []
    assert _rows("SELECT * FROM company.renewal_count") == []


def test_members_after_insert_update_delete():
    """Adding, advancing and removing members keeps the per-status counts exact."""
    campaign, rows = _members(4)
    assert members_ok() == [(campaign.pk, "pending", 4)]
    campaign_member_remove(member_id=rows[0].pk, actor="alice")
    members_ok()
    Campaign.objects.filter(pk=campaign.pk).update(status="active")
    CampaignContact.objects.filter(campaign=campaign).update(status="sent")
    members_ok()
    member_record_outcome(member_id=rows[1].pk, outcome="opened", actor="alice")
    member_record_outcome(member_id=rows[2].pk, outcome="replied", actor="alice")
    assert members_ok() == [
        (campaign.pk, "opened", 1),
        (campaign.pk, "replied", 1),
        (campaign.pk, "sent", 1),
    ]
    CampaignContact.objects.filter(pk=rows[3].pk).update(status="sent")  # changes nothing
    members_ok()
    CampaignContact.objects.filter(campaign=campaign).update(status="booked")
    members_ok()


@pytest.mark.owner
def test_members_after_truncate():
    """TRUNCATE of the members empties their summary."""
    _members(2)
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key events
        cur.execute("TRUNCATE marketing.campaign_contact CASCADE")
    assert members_ok() == []
    assert _rows("SELECT * FROM marketing.member_status_count") == []


def _ready_company(**fields):
    """A company in its renewal window with a green CFO: ready."""
    import datetime

    month = (datetime.date.today().month % 12) + 1  # next month: the 120-day window is open
    c, person = _filled_company(renewal_month=month, **fields)
    return c, person


def test_readiness_after_inserts_updates_deletes():
    """Companies, slots, people, e-mail status and campaign membership changes keep the
    renewal readiness rows equal to the live rule."""
    c, person = _ready_company()
    other, other_person = _ready_company()
    builders.company(renewal_month=3)
    rows = readiness_ok()
    assert any(r[0] == c.pk and r[-2] for r in rows)  # ready
    Company.objects.filter(pk=c.pk).update(company_name="Renamed Co", industry="Retail")
    readiness_ok()
    Contact.objects.filter(pk=person.pk).update(full_name="Pat Renamed")
    readiness_ok()
    ContactVerification.objects.filter(contact=person).update(email_status="red")
    assert any(r[0] == c.pk and not r[-2] for r in readiness_ok())
    ContactVerification.objects.filter(contact=person).update(email_status="green")
    readiness_ok()
    ResolutionQueue.objects.create(
        contact_primary=person,
        contact_duplicate=other_person,
        conflict_type="name_company",
        score=0.9,
    )
    assert any(r[0] == other.pk and not r[-2] for r in readiness_ok())
    ResolutionQueue.objects.all().update(resolution_status="not_duplicate")
    readiness_ok()
    with connection.cursor() as cur:  # (the ORM's cascade would touch merge_log)
        cur.execute("DELETE FROM people.resolution_queue")
    readiness_ok()
    campaign = Campaign.objects.create(name="Renewal now", type="renewal")
    CampaignContact.objects.create(campaign=campaign, contact=person, company=c, role_code="CFO")
    assert any(r[0] == c.pk and not r[-2] for r in readiness_ok())
    Campaign.objects.filter(pk=campaign.pk).update(name="Renewal wave")
    readiness_ok()
    CompanySlot.objects.filter(company=c, role_code="CFO").update(contact=None)
    readiness_ok()
    Company.objects.filter(pk=other.pk).update(renewal_month=None)
    readiness_ok()
    Company.objects.filter(pk=other.pk).update(renewal_month=5, status="archived")
    readiness_ok()
    CompanySlot.objects.filter(company=other).delete()
    readiness_ok()


def test_readiness_after_merge_and_promotion():
    """A person merge and a promotion keep the readiness rows equal to the live rule."""
    c, person = _ready_company()
    survivor = builders.contact("Pat Keeper", email_status="green")
    person_merge(survivor_id=survivor.pk, absorbed_id=person.pk, actor="alice")
    readiness_ok()
    rows = [{"email": "cfo@ready-promo.example", "name": "Eff Promo", "title": "CFO"}]
    batch_ingest(rows=rows, source="apollo", batch_id="readiness-promote")
    loads_promote(load_ids=None)
    readiness_ok()


@pytest.mark.owner
def test_readiness_after_truncate_and_a_past_stored_date():
    """TRUNCATE of a source recomputes the rows; a stored date in the past (the roll-forward
    has not run) is read from the live view, so the page is still right."""
    c, _ = _ready_company()
    _ready_company()
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("TRUNCATE people.resolution_queue CASCADE")
    readiness_ok()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # as a missed roll leaves it
        cur.execute(
            "UPDATE marketing.renewal_readiness SET next_renewal_date = current_date - 1"
            " WHERE company_id = %s",
            [c.pk],
        )
        cur.execute("SET LOCAL session_replication_role = origin")
    readiness_ok()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE company.company_slot")
    readiness_ok()


def test_summaries_are_read_only_for_the_app_role():
    """The app role reads the summaries but cannot write them (only the triggers do)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT has_table_privilege('marketing.renewal_readiness', 'DELETE'),"
            " has_table_privilege('company.slot_coverage', 'UPDATE'),"
            " has_table_privilege('company.renewal_count', 'INSERT'),"
            " has_table_privilege('marketing.member_status_count', 'INSERT'),"
            " has_table_privilege('company.slot_coverage', 'SELECT')"
        )
        assert cur.fetchone() == (False, False, False, False, True)
