"""Handoff review in a real browser: list (overdue first) → j/o into the handoff → read the
timeline → accept with the keyboard."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from marketing.services.handoffs import (
    booking_record,
    handoff_accept,
    handoff_reject,
    message_record,
)
from outreach_admin.db import acting_as
from signals.models import Signal
from tests import builders
from tests.browser.conftest import screenshot
from tests.marketing.handoff_fixtures import campaign_with_member

pytestmark = pytest.mark.browser

# Rows this test creates, deleted afterwards in this order (the live server needs committed data).
CLEANUP = [
    ("marketing.pipeline_events", "event_id"),
    ("marketing.ac_handoff", "handoff_id"),
    ("marketing.booking_event", "booking_event_id"),
    ("marketing.message_log", "message_log_id"),
    ("marketing.campaign", "campaign_id"),  # its members go with it (cascade)
    ("bit.signal", "signal_id"),
    ("company.company_slot", "company_slot_id"),
    ("people.contact_verification", "contact_id"),
    ("people.contact", "contact_id"),
    ("company.company", "company_id"),
    ("company.history", "history_id"),
    ("people.history", "history_id"),
]


def _max_ids():
    out = {}
    with connection.cursor() as cur:
        for table, pk in CLEANUP:
            cur.execute(f"SELECT coalesce(max({pk}), 0) FROM {table}")
            out[table] = cur.fetchone()[0]
    return out


def _booked(company_name, person_name, title, *, campaign=None, days_ago=0):
    """A booked person at a new company (messages, signal and slot fill first, with a campaign)."""
    now = timezone.now()
    company = builders.company(
        company_name, industry="Insurance", state_region="TX", renewal_month=3
    )
    person = builders.contact(person_name, company=company, email_status="green", title=title)
    slot = builders.slot(company, "CFO")
    slot.contact = person
    slot.save()
    campaign_id = None
    if campaign:
        campaign_id = campaign_with_member(person, status="pending", name=campaign).pk
        common = {"contact_id": person.pk, "channel": "email", "actor": "dana"}
        message_record(
            direction="outbound",
            subject="Your benefits renewal in March",
            body="Hi",
            campaign_id=campaign_id,
            sent_at=now - timedelta(days=days_ago + 5),
            **common,
        )
        message_record(
            direction="inbound",
            subject="Re: Your benefits renewal in March",
            body="Happy to talk",
            campaign_id=campaign_id,
            sent_at=now - timedelta(days=days_ago + 1),
            **common,
        )
        Signal.objects.create(
            company=company, reason="renewal_window_open_120d", signal_strength=80
        )
    handoff = booking_record(
        contact_id=person.pk,
        event_time=now + timedelta(days=2),
        source="calendar",
        campaign_id=campaign_id,
        actor="dana",
    )
    return handoff, days_ago


def _backdate(handoff, days_ago):
    """Put the setup in the past, as it would be (as the owner: history is read-only)."""
    now = timezone.now()
    created = now - timedelta(days=days_ago)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE company.history SET changed_at = %s WHERE company_id = %s",
            [now - timedelta(days=days_ago + 8), handoff.company_id],
        )
        cur.execute(
            "UPDATE people.history SET changed_at = %s WHERE contact_id = %s",
            [now - timedelta(days=days_ago + 9), handoff.contact_id],
        )
        cur.execute(
            "UPDATE bit.signal SET created_at = %s WHERE company_id = %s",
            [now - timedelta(days=days_ago + 7), handoff.company_id],
        )
        # Triggers off for this one: the updated_at trigger would stamp it "now".
        cur.execute("SET session_replication_role = replica")
        cur.execute(
            "UPDATE marketing.campaign_contact SET created_at = %s, updated_at = %s"
            " WHERE contact_id = %s",
            [
                now - timedelta(days=days_ago + 6),
                created - timedelta(minutes=1),
                handoff.contact_id,
            ],
        )
        cur.execute("SET session_replication_role = origin")
        cur.execute(
            "UPDATE marketing.booking_event SET created_at = %s WHERE booking_event_id = %s",
            [created - timedelta(minutes=1), handoff.booking_event_id],
        )
        cur.execute(
            "UPDATE marketing.ac_handoff SET created_at = %s WHERE handoff_id = %s",
            [created, handoff.pk],
        )


@pytest.fixture
def handoff_world(coordinator):
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    before = _max_ids()
    with acting_as("dana"):
        made = [
            _booked(
                "Acme Benefits Co",
                "Pat Lee",
                "Chief Financial Officer",
                campaign="Q1 renewals",
                days_ago=6,
            ),
            _booked("Birch Logistics", "Jo Chen", "CFO"),
            _booked("Cobalt Health", "Max Stone", "Finance Director", days_ago=3),
            _booked("Delta Foods", "Ana Ruiz", "VP Finance", days_ago=4),
        ]
    for handoff, days_ago in made:
        _backdate(handoff, days_ago)
    overdue, fresh, accepted, rejected = (handoff for handoff, _ in made)
    with acting_as("dana"):
        handoff_accept(handoff_id=accepted.pk, actor="dana", note="Good fit")
        handoff_reject(
            handoff_id=rejected.pk, reason_code="bad_timing", note="Renewal moved", actor="dana"
        )
    yield overdue, fresh
    with connection.cursor() as cur:
        for table, pk in CLEANUP:
            cur.execute(f"DELETE FROM {table} WHERE {pk} > %s", [before[table]])


def test_review_pending_handoff(signed_in_page, live_server, handoff_world):
    """Open the overdue handoff from the list by keyboard, read its timeline, accept it."""
    page = signed_in_page
    overdue, fresh = handoff_world
    page.goto(f"{live_server.url}/marketing/handoffs/")
    expect(page.get_by_role("heading", name="Handoffs")).to_be_visible()
    rows = page.locator("[data-row-table] tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Acme Benefits Co")
    expect(rows.nth(0)).to_contain_text("overdue")
    expect(rows.nth(1)).to_contain_text("Birch Logistics")
    expect(page.locator("[data-metric=overdue]")).to_have_text("1")
    expect(page.locator("[data-metric=acceptance]")).to_have_text("50%")
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
    screenshot(page, "handoff-list")

    page.keyboard.press("o")
    page.wait_for_url(f"**/marketing/handoffs/{overdue.pk}/")
    expect(
        page.get_by_role("heading", name=f"Handoff #{overdue.pk} · Acme Benefits Co")
    ).to_be_visible()
    timeline = page.locator("[data-timeline]")
    expect(timeline).to_contain_text("Received email in campaign “Q1 renewals”")
    expect(timeline).to_contain_text("Re: Your benefits renewal in March")
    expect(timeline).to_contain_text("Meeting booked for")
    expect(timeline).to_contain_text("CFO slot filled with Pat Lee")
    expect(timeline).to_contain_text("Signal: renewal window open 120d")
    expect(timeline.locator("li").first).to_contain_text(f"Handoff #{overdue.pk} created")
    screenshot(page, "handoff-detail")

    page.keyboard.press("r")
    expect(page.get_by_label("Reject reason")).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("a")
    page.wait_for_load_state()
    # (the page's flash message, not the header search's live region, which is a status too)
    expect(page.get_by_role("status").filter(has_text="accepted").first).to_contain_text(
        f"Handoff #{overdue.pk} accepted."
    )
    expect(page.locator("[data-status]")).to_have_text("accepted")
    expect(page.locator("[data-timeline] li").first).to_contain_text("accepted")
    overdue.refresh_from_db()
    assert (overdue.status, overdue.reviewed_by) == ("accepted", "coordinator")
