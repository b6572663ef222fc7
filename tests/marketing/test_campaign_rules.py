"""Campaign rules enforced by the database (marketing 0003): status moves, green-only members,
draft-only membership changes, counts, and the seed 000 example insert."""

import datetime as dt
from datetime import timedelta
from itertools import product

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from companies.models import CompanySlot
from marketing.models import Campaign, CampaignContact, MessageLog
from marketing.services import campaigns as services
from marketing.services.campaigns import CampaignError
from people.models import Contact, ResolutionQueue
from tests import builders as b

STATUSES = ["draft", "active", "paused", "completed"]
ALLOWED = {
    ("draft", "active"),
    ("active", "paused"),
    ("paused", "active"),
    ("active", "completed"),
    ("paused", "completed"),
}


def next_renewal(month: int, today: dt.date) -> dt.date:
    """Python twin of company.next_renewal_date, for building test data only."""
    this_year = dt.date(today.year, month, 1)
    return this_year if this_year >= today else dt.date(today.year + 1, month, 1)


def renewal_company(*, opens_in: int = -5, name=None, **fields):
    """A company whose renewal window opened ``-opens_in`` days ago (or opens in ``opens_in``)."""
    today = dt.date.today()
    month = (today + dt.timedelta(days=90)).month
    days_left = (next_renewal(month, today) - today).days
    return b.company(
        name,
        renewal_month=month,
        renewal_notice_window_days=days_left - opens_in,
        **fields,
    )


def seat(company, role, *, email_status="green", **fields):
    """A person in ``role`` at ``company`` with the given email status."""
    person = b.contact(email_status=email_status, company=company, **fields)
    CompanySlot.objects.filter(company=company, role_code=role).update(contact=person)
    return person


def campaign_in(status: str, name: str = "Test campaign") -> Campaign:
    """A campaign in ``status``, reached through allowed moves only."""
    c = Campaign.objects.create(name=name, type="renewal")
    path = {
        "draft": [],
        "active": ["active"],
        "paused": ["active", "paused"],
        "completed": ["active", "completed"],
    }[status]
    for step in path:
        Campaign.objects.filter(pk=c.pk).update(status=step)
    c.refresh_from_db()
    return c


@pytest.mark.django_db
@pytest.mark.parametrize(("src", "dst"), [p for p in product(STATUSES, STATUSES) if p[0] != p[1]])
def test_transition_table_via_service(src, dst):
    """Every pair of statuses: allowed moves succeed through the service, others are refused."""
    c = campaign_in(src)
    if (src, dst) in ALLOWED:
        moved = services.campaign_transition(campaign_id=c.pk, to_status=dst, actor="alice")
        assert moved.status == dst
    else:
        with pytest.raises(CampaignError, match=f"cannot move from {src} to {dst}"):
            services.campaign_transition(campaign_id=c.pk, to_status=dst, actor="alice")
        c.refresh_from_db()
        assert c.status == src


@pytest.mark.django_db
@pytest.mark.parametrize(("src", "dst"), [p for p in product(STATUSES, STATUSES) if p[0] != p[1]])
def test_transition_table_via_raw_sql(src, dst):
    """Every pair of statuses through raw SQL: refused moves raise SQLSTATE 23514."""
    c = campaign_in(src)
    sql = "UPDATE marketing.campaign SET status = %s WHERE campaign_id = %s"
    if (src, dst) in ALLOWED:
        with connection.cursor() as cur:
            cur.execute(sql, [dst, c.pk])
        c.refresh_from_db()
        assert c.status == dst
    else:
        with pytest.raises(IntegrityError) as err, transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [dst, c.pk])
        assert err.value.__cause__.sqlstate == "23514"
        assert f"cannot move from {src} to {dst}" in str(err.value)


@pytest.mark.django_db
def test_started_and_ended_stamped_once():
    """started_at is set on the first activation and kept on resume; ended_at on completion."""
    c = campaign_in("draft")
    assert c.started_at is None and c.ended_at is None
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    c.refresh_from_db()
    first = c.started_at
    assert first is not None
    services.campaign_transition(campaign_id=c.pk, to_status="paused", actor="a")
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    c.refresh_from_db()
    assert c.started_at == first and c.ended_at is None
    services.campaign_transition(campaign_id=c.pk, to_status="completed", actor="a")
    c.refresh_from_db()
    assert c.ended_at is not None


def _raw_add(campaign, person):
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO marketing.campaign_contact (campaign_id, contact_id) VALUES (%s, %s)",
            [campaign.pk, person.pk],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email_status", "person_status", "message"),
    [
        ("yellow", "active", "has email status yellow"),
        ("red", "active", "has email status red"),
        ("gray", "active", "has email status gray"),
        (None, "active", "has email status not verified"),
        ("green", "unsubscribed", "is unsubscribed"),
        ("green", "bounced", "is bounced"),
    ],
)
def test_green_only_rule_holds_for_raw_sql(email_status, person_status, message):
    """A raw INSERT of a member who is not green or not active is refused with SQLSTATE 23514."""
    co = renewal_company()
    person = seat(co, "CEO", email_status=email_status)
    Contact.objects.filter(pk=person.pk).update(status=person_status)
    c = campaign_in("draft")
    with pytest.raises(IntegrityError, match=message) as err, transaction.atomic():
        _raw_add(c, person)
    assert err.value.__cause__.sqlstate == "23514"
    assert not CampaignContact.objects.filter(campaign=c).exists()


@pytest.mark.django_db
def test_merged_person_cannot_join():
    """A merged person is refused by the member trigger."""
    co = renewal_company()
    survivor = b.contact(email_status="green")
    person = seat(co, "CFO")
    Contact.objects.filter(pk=person.pk).update(status="merged", merged_into=survivor)
    c = campaign_in("draft")
    with pytest.raises(IntegrityError, match="is merged"), transaction.atomic():
        _raw_add(c, person)


@pytest.mark.django_db
def test_seed_example_insert_captures_company_and_role():
    """Seed 000's INSERT … SELECT from vw_company_slots works and captures company and role."""
    co = renewal_company()
    ceo = seat(co, "CEO")
    seat(co, "HR", email_status="yellow")
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO marketing.campaign (name) VALUES ('Q1 2024 Renewals')"
            " RETURNING campaign_id"
        )
        (campaign_id,) = cur.fetchone()
        cur.execute(
            "INSERT INTO marketing.campaign_contact (campaign_id, contact_id)"
            " SELECT %s, contact_id FROM company.vw_company_slots"
            " WHERE company_id = %s AND email_status = 'green'",
            [campaign_id, co.pk],
        )
    (m,) = CampaignContact.objects.filter(campaign_id=campaign_id)
    assert (m.contact_id, m.company_id, m.role_code) == (ceo.pk, co.pk, "CEO")


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["active", "paused", "completed"])
def test_members_change_only_while_draft(status):
    """Adding or removing a member outside draft is refused with a message naming the status."""
    co = renewal_company()
    first, second = seat(co, "CEO"), seat(co, "CFO")
    c = Campaign.objects.create(name="Locked", type="renewal")
    _raw_add(c, first)
    Campaign.objects.filter(pk=c.pk).update(status="active")
    if status != "active":
        Campaign.objects.filter(pk=c.pk).update(status=status)
    with (
        pytest.raises(IntegrityError, match=f"only while it is draft \\(it is {status}\\)"),
        transaction.atomic(),
    ):
        _raw_add(c, second)
    with (
        pytest.raises(IntegrityError, match="removed only while it is draft"),
        transaction.atomic(),
    ):
        CampaignContact.objects.filter(campaign=c).delete()
    assert CampaignContact.objects.filter(campaign=c).count() == 1


@pytest.mark.django_db
def test_counts_follow_member_statuses():
    """sent_count counts members past pending; response_count replied and booked ones."""
    co = renewal_company()
    people = [seat(co, r) for r in ("CEO", "CFO", "HR")]
    c = Campaign.objects.create(name="Counts", type="renewal")
    for p in people:
        _raw_add(c, p)
    Campaign.objects.filter(pk=c.pk).update(status="active")
    ids = list(CampaignContact.objects.filter(campaign=c).values_list("pk", flat=True))
    CampaignContact.objects.filter(pk=ids[0]).update(status="sent")
    CampaignContact.objects.filter(pk=ids[1]).update(status="replied")
    c.refresh_from_db()
    assert (c.sent_count, c.response_count) == (2, 1)


@pytest.mark.django_db
def test_booked_company_members_are_on_hold_and_guarded():
    """After a booking, the company's other pending members cannot be messaged (on hold)."""
    co = renewal_company()
    ceo, cfo = seat(co, "CEO"), seat(co, "CFO")
    c = Campaign.objects.create(name="Hold", type="renewal")
    _raw_add(c, ceo)
    _raw_add(c, cfo)
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    m_ceo = CampaignContact.objects.get(campaign=c, contact=ceo)
    services.member_record_outcome(
        member_id=m_ceo.pk,
        outcome="booked",
        actor="a",
        event_time=timezone.now() + timedelta(days=3),
        source="email",
    )
    with pytest.raises(IntegrityError, match="on hold"), transaction.atomic():
        MessageLog.objects.create(campaign=c, contact=cfo, direction="outbound")
    from marketing.selectors.campaigns import campaign_members

    holds = {m.contact_id: m.on_hold for m in campaign_members(c)}
    assert holds == {ceo.pk: False, cfo.pk: True}


@pytest.mark.django_db
def test_pending_duplicate_blocks_nothing_in_db_but_preflight_reports_it():
    """The pending-duplicate rule is a pre-flight exclusion, not a database refusal."""
    co = renewal_company()
    p = seat(co, "CEO")
    other = b.contact(email_status="green")
    ResolutionQueue.objects.create(
        contact_primary=p, contact_duplicate=other, conflict_type="email", score="0.9"
    )
    rows = services_preflight([co.pk], ["CEO"])
    assert rows[0].reason == "duplicate pending review"


def services_preflight(ids, roles):
    from marketing.selectors.campaigns import campaign_preflight

    return campaign_preflight(company_ids=ids, roles=roles)


@pytest.mark.django_db
def test_one_bad_member_refuses_the_whole_multi_row_insert():
    """The member rules are checked per statement (marketing 0006): an INSERT … SELECT of many
    people with one yellow e-mail among them adds nobody, and names the offender."""
    co = renewal_company()
    good = [seat(co, role) for role in ("CEO", "CFO")]
    bad = seat(co, "HR", email_status="yellow")
    c = campaign_in("draft")
    with (
        pytest.raises(IntegrityError, match=f"person {bad.pk} .* has email status yellow") as err,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO marketing.campaign_contact (campaign_id, contact_id, company_id,"
            " role_code) SELECT %s, s.contact_id, s.company_id, s.role_code"
            " FROM company.company_slot s WHERE s.contact_id = ANY(%s) ORDER BY s.contact_id",
            [c.pk, [p.pk for p in [*good, bad]]],
        )
    assert err.value.__cause__.sqlstate == "23514"
    assert not CampaignContact.objects.filter(campaign=c).exists()
