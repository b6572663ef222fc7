"""Renewal campaign in a real browser: renewals → select → pre-flight → create → activate."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from playwright.sync_api import expect

from intake.services import signals_generate
from people.models import ResolutionQueue
from tests import builders as b
from tests.browser.conftest import screenshot
from tests.marketing.test_campaign_rules import renewal_company, seat

pytestmark = pytest.mark.browser

# Rows this test creates, deleted afterwards (the live server needs committed data).
CLEANUP = [
    ("ple.step", "step_id"),
    ("ple.cycle", "cycle_id"),
    ("bit.signal", "signal_id"),
    ("marketing.campaign", "campaign_id"),
    ("people.resolution_queue", "resolution_id"),
    ("company.company", "company_id"),
    ("people.contact_verification", "contact_id"),
    ("people.contact", "contact_id"),
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


@pytest.fixture
def renewal_world(coordinator):
    coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    before = _max_ids()
    acme = renewal_company(name="Acme Benefits Co", industry="Insurance", state_region="TX")
    seat(acme, "CEO", full_name="Alex Kim", email="alex@acme.example")
    seat(acme, "CFO", full_name="Dana Ruiz", email="dana@acme.example")
    seat(acme, "HR", email_status="yellow", full_name="Sam Ortiz", email="sam@acme.example")
    birch = renewal_company(
        name="Birch Logistics", industry="Logistics", state_region="CA", opens_in=-40
    )
    seat(birch, "CFO", full_name="Pat Lee", email="pat@birch.example")
    dup = seat(birch, "HR", full_name="Jo Chen", email="jo@birch.example")
    ResolutionQueue.objects.create(
        contact_primary=dup,
        contact_duplicate=b.contact("Jo Chen", email="jo.chen@birch.example"),
        conflict_type="name_company",
        score="0.91",
    )
    cobalt = renewal_company(
        name="Cobalt Health", industry="Healthcare", state_region="NY", opens_in=-10
    )
    seat(cobalt, "CEO", email_status="red", full_name="Max Stone", email="max@cobalt.example")
    yield acme, birch, cobalt
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM bit.company_score WHERE company_id IN (%s, %s, %s)",
            [acme.pk, birch.pk, cobalt.pk],
        )
        for table, pk in CLEANUP:
            cur.execute(f"DELETE FROM {table} WHERE {pk} > %s", [before[table]])


def test_renewals_to_active_campaign(signed_in_page, live_server, renewal_world):
    """Select two companies, review the pre-flight report, create the campaign, activate it."""
    page = signed_in_page
    acme, birch, _ = renewal_world
    page.goto(f"{live_server.url}/marketing/renewals/")
    expect(page.get_by_role("heading", name="Renewals")).to_be_visible()
    # Default: ready companies only, the tab says so.
    expect(page.locator(".renewal-readiness-tabs a.active")).to_have_text("Ready to launch")
    expect(page.locator("tr", has_text="Acme Benefits Co")).to_contain_text("Ready")
    expect(page.locator("tr", has_text="Birch Logistics")).to_have_count(0)
    screenshot(page, "renewals-ready")

    page.get_by_role("link", name="Not ready (and why)").click()
    expect(page.locator(".renewal-readiness-tabs a.active")).to_have_text("Not ready (and why)")
    expect(page.locator("tr", has_text="Acme Benefits Co")).to_have_count(0)
    expect(page.locator("tr", has_text="Birch Logistics")).to_contain_text(
        "duplicate pending review"
    )
    expect(page.locator("tr", has_text="Cobalt Health")).to_contain_text("no green slot contact")
    screenshot(page, "renewals-not-ready")

    page.get_by_role("link", name="Any readiness").click()
    expect(page.locator(".renewal-readiness-tabs a.active")).to_have_text("Any readiness")
    acme_row = page.locator("tr", has_text="Acme Benefits Co")
    expect(acme_row).to_contain_text("Ready")
    build = page.locator("[data-build-selected]")
    expect(build).to_be_disabled()
    acme_row.get_by_role("checkbox").check()
    page.locator("tr", has_text="Birch Logistics").get_by_role("checkbox").check()
    expect(build).to_contain_text("Build campaign from 2 selected")
    screenshot(page, "renewals")

    build.click()
    expect(page.get_by_role("heading", name="Build a campaign")).to_be_visible()
    report = page.locator("table")
    expect(report.locator("tr", has_text="Sam Ortiz")).to_contain_text("email not green (yellow)")
    expect(report.locator("tr", has_text="Jo Chen")).to_contain_text("duplicate pending review")
    expect(report.locator("tr", has_text="Birch Logistics").filter(has_text="CEO")).to_contain_text(
        "slot empty"
    )
    expect(page.get_by_text("3 included")).to_be_visible()
    page.get_by_label("Campaign name").fill("Renewals — browser test")
    screenshot(page, "campaign-preflight")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Create campaign with 3 members").click()
    expect(page.get_by_role("heading", name="Renewals — browser test")).to_be_visible()
    expect(page.get_by_text("created as a draft with 3 members")).to_be_visible()

    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("is now active")).to_be_visible()
    expect(page.locator("[data-campaign-status]")).to_have_text("active")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(page.get_by_role("button", name="Activate")).to_have_count(0)
    members = page.locator("table tbody tr")
    expect(members).to_have_count(3)
    screenshot(page, "campaign-detail")

    page.get_by_role("link", name="All campaigns").click()
    expect(page.locator("tr", has_text="Renewals — browser test")).to_contain_text("active")
    screenshot(page, "campaign-list")

    signals_generate(actor="cron")
    page.goto(f"{live_server.url}/signals/")
    acme_signal = page.locator("tr", has_text="Acme Benefits Co")
    expect(acme_signal).to_contain_text("renewal_window_open_")
    acme_signal.get_by_role("checkbox").check()
    page.get_by_role("button", name="Mark selected processed").click()
    expect(page.get_by_text("1 signal marked processed.")).to_be_visible()
    screenshot(page, "signals")
