from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from marketing.models import CampaignContact
from marketing.services.handoffs import booking_record, handoff_reject, message_record
from overview.timeline import timeline_for
from people.models import MergeLog
from signals.models import Signal
from tests import builders
from tests.marketing.handoff_fixtures import campaign_with_member

DAY0 = datetime(2026, 10, 1, 9, 0, tzinfo=ZoneInfo("UTC"))


def day(n: int, hours: int = 0) -> datetime:
    return DAY0 + timedelta(days=n, hours=hours)


def set_time(sql: str, params) -> None:
    """Back-date rows; triggers (updated_at, counts) are off for the statement (owner only)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture
def scenario():
    """A company and person touched by every timeline source, one source per day."""
    company = builders.company("Acme Benefits")
    person = builders.contact("Pat Lee", company=company, email_status="green")
    twin = builders.contact("Pat  Lee", company=company)
    set_time("UPDATE people.history SET changed_at = %s WHERE contact_id = %s", [day(0), person.pk])
    set_time("UPDATE people.history SET changed_at = %s WHERE contact_id = %s", [day(0), twin.pk])

    sig = Signal.objects.create(company=company, reason="renewal_window_open_120d")
    set_time("UPDATE bit.signal SET created_at = %s WHERE signal_id = %s", [day(1), sig.pk])

    cfo = builders.slot(company, "CFO")
    cfo.contact = person
    cfo.save()
    set_time(
        "UPDATE company.history SET changed_at = %s"
        " WHERE company_slot_id = %s AND action = 'update'",
        [day(2), cfo.pk],
    )
    campaign = campaign_with_member(person, status="pending", name="Q4 renewals")
    member = CampaignContact.objects.get(campaign=campaign)
    set_time(
        "UPDATE marketing.campaign_contact SET created_at = %s WHERE campaign_contact_id = %s",
        [day(3), member.pk],
    )
    common = {"contact_id": person.pk, "channel": "email", "actor": "amy"}
    message_record(
        direction="outbound",
        subject="Your renewal",
        body="Hi",
        campaign_id=campaign.pk,
        sent_at=day(4),
        **common,
    )
    message_record(
        direction="inbound",
        subject="Re: Your renewal",
        body="Call me",
        campaign_id=campaign.pk,
        sent_at=day(5),
        **common,
    )
    set_time(
        "UPDATE marketing.campaign_contact SET updated_at = %s WHERE campaign_contact_id = %s",
        [day(6), member.pk],
    )
    twin.status, twin.merged_into = "merged", person
    twin.save()
    set_time("DELETE FROM people.history WHERE contact_id = %s AND action = 'update'", [twin.pk])
    MergeLog.objects.create(survivor=person, absorbed=twin, merged_by="bob")
    set_time("UPDATE people.merge_log SET merged_at = %s WHERE absorbed_id = %s", [day(7), twin.pk])

    handoff = booking_record(
        contact_id=person.pk,
        event_time=day(12),
        source="phone",
        campaign_id=campaign.pk,
        actor="amy",
    )
    set_time(
        "UPDATE marketing.booking_event SET created_at = %s WHERE booking_event_id = %s",
        [day(8), handoff.booking_event_id],
    )
    set_time(
        "UPDATE marketing.ac_handoff SET created_at = %s WHERE handoff_id = %s",
        [day(8, 1), handoff.pk],
    )
    handoff_reject(
        handoff_id=handoff.pk, reason_code="bad_timing", note="Call in spring", actor="cy"
    )
    set_time(
        "UPDATE marketing.pipeline_events SET created_at = %s"
        " WHERE event_type = 'handoff_rejected'",
        [day(9)],
    )
    # The reject moved the member back to replied (updated_at now): pin it to day 6 again.
    set_time(
        "UPDATE marketing.campaign_contact SET updated_at = %s WHERE campaign_contact_id = %s",
        [day(6), member.pk],
    )
    # The person's own history after day 0 (merge re-pointing, etc.) is not under test here.
    set_time(
        "DELETE FROM people.history WHERE contact_id = %s AND changed_at > %s", [person.pk, day(0)]
    )
    return company, person, handoff


@pytest.mark.owner
@pytest.mark.django_db
def test_timeline_touches_every_source_newest_first(scenario, django_assert_num_queries):
    """The handoff timeline has every source, newest first, with readable summaries, in 1 query."""
    company, person, handoff = scenario
    with django_assert_num_queries(1):
        events = timeline_for(company_id=company.pk, contact_id=person.pk)
    kinds = [e.kind for e in events]
    assert kinds == [
        "handoff_rejected",
        "handoff_created",
        "booking",
        "merge",
        "campaign_status",
        "message_inbound",
        "message_outbound",
        "campaign_added",
        "slot",
        "signal",
        "person",
        "person",
    ], kinds
    by_kind = {e.kind: e for e in events}
    assert by_kind["handoff_rejected"].summary == f"Handoff #{handoff.pk} rejected: Bad timing"
    assert by_kind["handoff_rejected"].detail == "Call in spring"
    assert by_kind["handoff_rejected"].actor == "cy"
    assert by_kind["booking"].summary.startswith("Meeting booked for ")
    assert "via phone" in by_kind["booking"].summary and by_kind["booking"].actor == "amy"
    assert by_kind["merge"].summary.startswith("Merged Pat Lee") and by_kind["merge"].actor == "bob"
    assert by_kind["campaign_status"].summary == "Campaign “Q4 renewals”: member now replied"
    assert by_kind["message_inbound"].detail == "Re: Your renewal"
    assert by_kind["message_outbound"].summary == "Sent email in campaign “Q4 renewals”"
    assert by_kind["slot"].summary == "CFO slot filled with Pat Lee"
    assert by_kind["signal"].summary == "Signal: renewal window open 120d (strength 50)"
    assert {e.summary for e in events if e.kind == "person"} == {
        "Person record created",
        "Email status green",
    }
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)


@pytest.mark.owner
@pytest.mark.django_db
def test_person_timeline_leaves_out_company_only_events(scenario):
    """A person's timeline has their messages and merges but not the company's signals."""
    _company, person, _handoff = scenario
    kinds = {e.kind for e in timeline_for(contact_id=person.pk)}
    assert {"message_inbound", "merge", "slot", "booking", "person"} <= kinds
    assert "signal" not in kinds


@pytest.mark.owner
@pytest.mark.django_db
def test_company_timeline_without_person(scenario):
    """A company's timeline includes its people's messages but not their profile changes."""
    company, _person, _handoff = scenario
    kinds = {e.kind for e in timeline_for(company_id=company.pk)}
    assert {"signal", "slot", "message_outbound", "handoff_rejected", "merge"} <= kinds
    assert "person" not in kinds


@pytest.mark.django_db
def test_timeline_limit_and_empty():
    """The limit caps the events; no company or person gives an empty list without a query."""
    company = builders.company()
    person = builders.contact(company=company)
    for i in range(5):
        message_record(
            contact_id=person.pk,
            direction="outbound",
            channel="phone",
            subject=f"Call {i}",
            body="",
            actor="a",
            sent_at=day(i),
        )
    events = timeline_for(company_id=company.pk, limit=3)
    assert [e.detail for e in events] == ["Call 4", "Call 3", "Call 2"]
    assert timeline_for() == []


@pytest.mark.django_db
def test_timeline_runs_as_app_role():
    """The app role can read every source the timeline reads."""
    company = builders.company()
    person = builders.contact(company=company)
    assert timeline_for(company_id=company.pk, contact_id=person.pk) is not None


def test_relative_time_uses_the_largest_whole_unit():
    """Event times read '5 minutes ago', 'an hour ago', '2 years ago', 'in 2 days'."""
    from datetime import timedelta

    from django.utils import timezone

    from overview.timeline import relative_time

    now = timezone.now()
    cases = {
        timedelta(seconds=5): "just now",
        timedelta(minutes=5): "5 minutes ago",
        timedelta(hours=1): "an hour ago",
        timedelta(days=1): "a day ago",
        timedelta(days=800): "2 years ago",
        -timedelta(days=2): "in 2 days",
    }
    for delta, text in cases.items():
        assert relative_time(now - delta, now) == text
