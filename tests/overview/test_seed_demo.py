"""``seed_demo`` and ``ensure_demo_login``: the demo data set is complete, realistic, consistent
with the database rules and deterministic; the demo accounts are only made on purpose."""

import io
import time

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone

from companies.models import Company, CompanyHistory, CompanySlot
from marketing.models import AcHandoff, BookingEvent, CampaignContact, MessageLog
from marketing.selectors.handoffs import handoff_queryset
from overview.demo.plan import build_plan
from overview.demo.seeder import table_counts
from overview.management.commands.ensure_demo_login import DEMO_PASSWORD
from people.models import Contact, ContactVerification, ResolutionQueue
from people.selectors import is_unambiguous
from signals.models import Signal

pytestmark = pytest.mark.django_db


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", "--companies", "30", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    started = time.monotonic()
    output = seed()
    return output, time.monotonic() - started


def _scalar(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_every_company_gets_exactly_its_three_slots(seeded):
    """30 companies, each with one CEO, one CFO and one HR slot."""
    assert Company.objects.count() == 30
    per_company = CompanySlot.objects.values("company").annotate(
        n=Count("*"), roles=Count("role_code", distinct=True)
    )
    assert len(per_company) == 30
    assert all(row["n"] == 3 and row["roles"] == 3 for row in per_company)


def test_slots_are_partly_filled_by_people_whose_title_fits(seeded):
    """Between 10% and 15% of the active companies' slots are filled (the customer's fill rate
    is 12.5%, WORKFLOWS.md), each by an employee the title classifier maps there."""
    active = CompanySlot.objects.filter(company__status="active")
    filled = active.filter(contact__isnull=False).count()
    assert 0.10 <= filled / active.count() <= 0.15
    mismatched = _scalar(
        """
        SELECT count(*) FROM company.company_slot s
        JOIN people.contact p ON p.contact_id = s.contact_id
        CROSS JOIN LATERAL company.classify_title(p.title) c
        WHERE c.role_code IS DISTINCT FROM s.role_code OR p.company_id <> s.company_id
        """
    )
    assert mismatched == 0
    assert not CompanySlot.objects.filter(
        contact__isnull=False, company__status="archived"
    ).exists()


def test_all_four_email_statuses_are_present(seeded):
    """Verification rows cover green, yellow, red and gray."""
    statuses = set(ContactVerification.objects.values_list("email_status", flat=True))
    assert statuses == {"green", "yellow", "red", "gray"}


def test_renewal_windows_are_both_open_and_closed(seeded):
    """Some companies are in their 120-day window today and some are not."""
    assert _scalar("SELECT count(*) FROM company.vw_next_renewal WHERE in_window") > 0
    assert _scalar("SELECT count(*) FROM company.vw_next_renewal WHERE NOT in_window") > 0
    assert Signal.objects.filter(reason__startswith="renewal_window_open_").exists()


def test_duplicates_are_queued_with_evidence(seeded):
    """Pending duplicate pairs exist with a conflict type, a score and evidence."""
    pending = ResolutionQueue.objects.filter(resolution_status="pending")
    assert pending.exists()
    assert all(q.evidence and 0 < q.score <= 1 for q in pending)
    merged = Contact.objects.filter(status="merged")
    assert all(c.merged_into_id for c in merged)


def test_renewals_page_has_companies_ready_to_launch(seeded):
    """The first login finds companies ready to launch: in window, a green slot contact, no
    open campaign and no pending duplicate (marketing.vw_renewal_readiness says so)."""
    assert _scalar("SELECT count(*) FROM marketing.vw_renewal_readiness WHERE ready") >= 2


def test_bulk_merge_has_unambiguous_pairs(seeded):
    """At least three pending pairs are unambiguous (same normalised e-mail and same name, as
    the detector's evidence records them), so the bulk merge has work on the first login."""
    pending = ResolutionQueue.objects.filter(resolution_status="pending")
    assert sum(is_unambiguous(q.evidence) for q in pending) >= 3


def test_handoffs_are_both_overdue_and_fresh(seeded):
    """Pending handoffs past their SLA and pending ones still within it both exist, as the
    handoff list computes overdue (marketing.add_business_days)."""
    pending = handoff_queryset().filter(status="pending")
    assert pending.filter(is_overdue=True).exists()
    assert pending.filter(is_overdue=False).exists()


def test_handoffs_include_pending_and_overdue_ones(seeded):
    """Up to eight bookings (fewer at 30 companies: at a 12.5% fill rate few slots hold green
    people to campaign to), each handed off; some pending, some 3+ days old, rejections
    explained."""
    bookings = BookingEvent.objects.count()
    assert 3 <= bookings <= 8
    assert AcHandoff.objects.count() == bookings
    pending = AcHandoff.objects.filter(status="pending")
    assert pending.exists()
    assert pending.filter(created_at__lt=timezone.now() - timezone.timedelta(days=3)).exists()
    assert not AcHandoff.objects.filter(status="rejected", reject_reason__isnull=True).exists()


def test_campaign_members_capture_company_and_role(seeded):
    """Every campaign member carries its company and slot role; messages go both ways."""
    assert CampaignContact.objects.exists()
    assert not CampaignContact.objects.filter(company__isnull=True).exists()
    assert not CampaignContact.objects.filter(role_code__isnull=True).exists()
    assert set(MessageLog.objects.values_list("direction", flat=True)) == {"outbound", "inbound"}


def test_history_names_the_seed_as_actor(seeded):
    """Rows written by the seed are recorded in history as changed by seed_demo; what its
    promotion writes, as "promotion of batch <its batch>" (f_promote_contacts v3)."""
    actors = set(CompanyHistory.objects.values_list("changed_by", flat=True))
    promotion = {a for a in actors if a.startswith("promotion of batch demo-")}
    assert actors - promotion == {"seed_demo"}


def test_seed_is_fast_and_prints_a_summary(seeded):
    """30 companies take well under 10 s and the output lists counts per table."""
    output, elapsed = seeded
    assert elapsed < 10
    assert "company.company" in output and "people.contact" in output


def test_if_empty_changes_nothing_on_a_seeded_database(seeded):
    """A second run with --if-empty says so and leaves every table as it was."""
    before = table_counts()
    output = seed("--if-empty")
    assert "nothing seeded" in output
    assert table_counts() == before


def test_second_run_without_if_empty_is_refused(seeded):
    """Seeding a database that has companies is refused with a clear message."""
    before = table_counts()
    with pytest.raises(CommandError, match="already has 30 companies"):
        seed()
    assert table_counts() == before


def test_same_seed_gives_the_same_data(seeded):
    """The plan is a pure function of the seed, and the database holds exactly that plan."""
    first, again, other = build_plan(30, 42), build_plan(30, 42), build_plan(30, 43)
    assert [c.name for c in first.companies] == [c.name for c in again.companies]
    assert [p.email for p in first.people] == [p.email for p in again.people]
    assert [c.name for c in first.companies] != [c.name for c in other.companies]
    stored = Company.objects.order_by("company_id").values_list("company_name", flat=True)
    assert list(stored) == [c.name for c in first.companies]


def test_plan_has_hard_titles_and_realistic_duplicates():
    """The plan includes titles that are hard to map and every kind of duplicate variation."""
    plan = build_plan(150, 42)
    titles = {p.title for p in plan.people}
    assert {"Executive Assistant to the CEO", "Office Manager"} & titles
    kinds = {p.duplicate_kind for p in plan.people if p.duplicate_kind}
    assert kinds == {"nickname", "gmail", "typo", "linkedin", "email_case", "plus_tag"}
    assert 25 <= sum(1 for p in plan.people if p.duplicate_kind) <= 35
    assert sum(c.status == "archived" for c in plan.companies) == round(150 * 0.05)


def test_ensure_demo_login_refuses_without_debug_or_force(settings):
    """Well-known passwords are never created silently with DEBUG off."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("ensure_demo_login", stdout=io.StringIO())
    assert not User.objects.filter(username__in=["demo", "admin"]).exists()


def test_ensure_demo_login_creates_the_accounts_idempotently(settings):
    """demo (coordinator) and admin (superuser) exist after one or two runs; passwords reset."""
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_demo_login", stdout=out)
    assert (
        "Demo login: http://127.0.0.1:8000/  user: demo  password: demo-outreach-2026"
        in out.getvalue().splitlines()
    )
    viewer = User.objects.get(username="viewer")
    assert list(viewer.groups.values_list("name", flat=True)) == ["viewer"]
    assert not viewer.is_staff
    demo = User.objects.get(username="demo")
    demo.set_password("changed-by-someone")
    demo.save()
    call_command("ensure_demo_login", stdout=io.StringIO())
    assert User.objects.filter(username="demo").count() == 1
    assert list(User.objects.get(username="demo").groups.values_list("name", flat=True)) == [
        "coordinator"
    ]
    # django-axes needs the request to count failures; a bare authenticate() is refused.
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="demo", password=DEMO_PASSWORD) is not None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_ensure_demo_login_force_works_without_debug(settings):
    """--force creates the accounts even with DEBUG off."""
    settings.DEBUG = False
    call_command("ensure_demo_login", "--force", stdout=io.StringIO())
    assert User.objects.filter(username="demo").exists()


def test_ensure_demo_login_prints_the_address_it_is_given(settings):
    """make run passes its host and port: the printed sign-in lines use them (they said port
    8000 whatever PORT was)."""
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_demo_login", "--url", "http://127.0.0.1:8011", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Demo login: http://127.0.0.1:8011/  user: demo  password: demo-outreach-2026" in lines
    assert (
        "Viewer login (read-only): http://127.0.0.1:8011/  user: viewer  "
        "password: viewer-outreach-2026" in lines
    )
    assert any(line.startswith("Admin login: http://127.0.0.1:8011/admin/") for line in lines)


def test_company_names_never_repeat_their_legal_word():
    """A base name ending in "Group" gets no second " Group" ("Medical Group Group")."""
    names = [c.name for c in build_plan(companies=600, seed=1).companies]
    assert names and not [n for n in names if n.split()[-1:] * 2 == n.split()[-2:]]
