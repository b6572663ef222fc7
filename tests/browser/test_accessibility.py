"""Accessibility and phone layout of every main page, in a real browser, on the demo data set.

Rules checked:
- axe-core (the copy bundled by the ``axe-playwright-python`` dev dependency, injected into the
  page, so no network at test time) reports no violation of impact "critical" or "serious" on
  any main page, signed in and on the login page;
- at a 390 x 844 viewport (a phone) no main page scrolls sideways: the document is never wider
  than the window (wide tables scroll inside their own container);
- a desktop and a phone screenshot of each page is saved under test-artifacts/screenshots/
  (``a11y-<page>-desktop.png`` / ``a11y-<page>-phone.png``) for a person to look at.

The demo data set is seeded once for the module (see ``demo_world``) and the pages are walked
in one tab per test, so the two tests take seconds per page, not a setup per page.
"""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from tests.browser.conftest import PASSWORD, USERNAME, _empty_again, _row_counts, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
BLOCKING_IMPACTS = {"critical", "serious"}


def _axe_source():
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def _first(qs):
    return qs.order_by("pk").values_list("pk", flat=True).first()


def _main_pages():
    """(name, path) of every main page, with a real row behind each detail page."""
    from companies.models import Company, CompanySlot
    from intake.models import PleCycle, RawLoad
    from marketing.models import AcHandoff, Campaign
    from people.models import Contact, MergeLog, ResolutionQueue

    company = _first(Company.objects)
    person = _first(Contact.objects.filter(status="active"))
    slot = _first(CompanySlot.objects.filter(contact__isnull=False))
    pair = _first(ResolutionQueue.objects)
    campaign = _first(Campaign.objects)
    handoff = _first(AcHandoff.objects)
    batch = RawLoad.objects.order_by("pk").values_list("batch_id", flat=True).first()
    run = _first(PleCycle.objects)
    merge = _first(MergeLog.objects)
    name = Company.objects.get(pk=company).company_name
    pages = [
        ("home", reverse("home")),
        ("companies", reverse("companies:company_list")),
        ("company", reverse("companies:company", args=[company])),
        ("company-edit", reverse("companies:company_edit", args=[company])),
        ("company-new", reverse("companies:company_create")),
        ("slots", reverse("companies:slot_queue")),
        ("slot", reverse("companies:slot", args=[slot])),
        ("people", reverse("people:contact_list")),
        ("person", reverse("people:contact", args=[person])),
        ("person-edit", reverse("people:contact_edit", args=[person])),
        ("person-new", reverse("people:contact_create")),
        ("duplicates", reverse("people:resolution_list")),
        ("duplicate-compare", reverse("people:resolution", args=[pair])),
        ("merges", reverse("people:merge_list")),
        ("renewals", reverse("marketing:renewal_list")),
        ("campaigns", reverse("marketing:campaign_list")),
        ("campaign", reverse("marketing:campaign", args=[campaign])),
        ("handoffs", reverse("marketing:handoff_list")),
        ("handoff", reverse("marketing:handoff", args=[handoff])),
        ("bookings", reverse("marketing:booking_list")),
        ("booking-add", reverse("marketing:booking_add")),
        ("message-add", reverse("marketing:message_add")),
        ("bulk-merge", reverse("people:bulk_merge")),
        ("batches", reverse("intake:batch_list")),
        ("batch", reverse("intake:batch", args=[batch])),
        ("upload", reverse("intake:batch_upload")),
        ("queues", reverse("intake:queue_list")),
        ("audit", reverse("intake:audit_list")),
        ("runs", reverse("intake:run_list")),
        ("signals", reverse("signals:signal_list")),
        ("search", reverse("search") + "?q=" + name.split()[0]),
        ("search-kind", reverse("search") + "?kind=company&q=" + name.split()[0]),
        ("saved-views", reverse("saved_view_list")),
    ]
    # The demo has no merge or processing run yet; check those pages when it does.
    if merge:
        pages.append(("merge", reverse("people:merge", args=[merge])))
    if run:
        pages.append(("run", reverse("intake:run", args=[run])))
    return pages


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo data set (12 companies) and a coordinator, committed once for the module.

    Cleaned up like the folder's ``transactional_db``: tables empty before are emptied again,
    this module's users and sessions are removed."""
    user_model = get_user_model()

    def clean_up():
        with django_db_blocker.unblock():
            with transaction.atomic():
                _empty_again(before)
                user_model.objects.filter(pk__gt=last_user).delete()
                Session.objects.exclude(session_key__in=old_sessions).delete()
            connection.close()

    with django_db_blocker.unblock():
        before = _row_counts()
        last_user = user_model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        old_sessions = set(Session.objects.values_list("session_key", flat=True))
        try:
            call_command("seed_demo", "--companies", "12", stdout=io.StringIO())
            user = user_model.objects.create_user(
                username=USERNAME, password=PASSWORD, first_name="Casey", last_name="Coordinator"
            )
            user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
            pages = _main_pages()
        except BaseException:
            clean_up()
            raise
        connection.close()
    yield pages
    clean_up()


@pytest.fixture
def tab(browser, live_server, demo_world):
    """A signed-in tab (fails the test on a JavaScript error or CSP violation, like ``page``)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "console",
        lambda m: (
            problems.append(f"console: {m.text}")
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "sign-in through the login form failed"
    yield page
    context.close()
    assert not problems, problems


def _open(page, live_server, path):
    response = page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200, (path, response and response.status)


_AXE_LOADED = "() => typeof window.axe !== 'undefined'"


def _check_axe(page, name, failures):
    """Run axe-core on the page; append one line per critical/serious violation to failures."""
    if not page.evaluate(_AXE_LOADED):
        page.evaluate(_axe_source())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = []
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            data = (node.get("any") or [{}])[0].get("data") or {}
            if isinstance(data, dict) and "contrastRatio" in data:  # color-contrast: the colours
                target += f" {data.get('fgColor')} on {data.get('bgColor')} {data['contrastRatio']}"
            targets.append(target)
        failures.append(
            f"{name}: [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({len(targets)} nodes) {targets[:8]}"
        )
    return failures


def test_axe_finds_no_critical_or_serious_violation(tab, live_server, demo_world):
    """Every main page and the login page pass axe-core with no
    critical or serious violation; a desktop screenshot of each is saved."""
    failures = []
    signed_out = tab.context.browser.new_context(viewport=DESKTOP).new_page()
    _open(signed_out, live_server, reverse("login"))
    _check_axe(signed_out, "login", failures)
    screenshot(signed_out, "a11y-login-desktop")
    signed_out.context.close()
    for name, path in demo_world:
        _open(tab, live_server, path)
        _check_axe(tab, name, failures)
        screenshot(tab, f"a11y-{name}-desktop")
    assert not failures, "axe-core violations:\n" + "\n".join(failures)


def test_no_page_scrolls_sideways_on_a_phone(tab, live_server, demo_world):
    """At 390 x 844 no main page is wider than the window (document scrollWidth <= clientWidth);
    a phone screenshot of each is saved, and axe-core passes there too (the collapsed nav)."""
    tab.set_viewport_size(PHONE)
    wide = []
    failures = []
    signed_out = tab.context.browser.new_context(viewport=PHONE).new_page()
    _open(signed_out, live_server, reverse("login"))
    screenshot(signed_out, "a11y-login-phone")
    signed_out.context.close()
    for name, path in demo_world:
        _open(tab, live_server, path)
        sizes = tab.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if sizes[0] > sizes[1]:
            culprits = tab.evaluate(
                """(limit) => Array.from(document.querySelectorAll('body *'))
                    .filter(e => e.getBoundingClientRect().right > limit + 1)
                    .filter(e => !e.parentElement
                        || e.parentElement.getBoundingClientRect().right <= limit + 1)
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && e.className.baseVal === undefined
                            ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                        + ' right=' + Math.round(e.getBoundingClientRect().right))""",
                sizes[1],
            )
            wide.append(f"{name} ({path}): scrollWidth {sizes[0]} > {sizes[1]}: {culprits}")
        screenshot(tab, f"a11y-{name}-phone")
        if name in {"home", "companies", "person"}:
            _check_axe(tab, f"{name} (phone)", failures)
    # The collapsed navigation, opened: every section, the search box and the user menu fit.
    _open(tab, live_server, reverse("home"))
    tab.get_by_role("button", name="Toggle navigation").click()
    tab.locator("#main-nav.show").wait_for()
    tab.wait_for_timeout(400)  # the collapse animation
    sizes = tab.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if sizes[0] > sizes[1]:
        wide.append(f"home with the menu open: scrollWidth {sizes[0]} > {sizes[1]}")
    screenshot(tab, "a11y-menu-phone")
    assert not wide, "pages that scroll sideways at 390 px:\n" + "\n".join(wide)
    assert not failures, "axe-core violations at 390 px:\n" + "\n".join(failures)
