"""Renewal signal generation (idempotent, once per cycle, year end) and score calculation."""

import datetime as dt
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from intake.models import PleCycle
from intake.services import pipeline
from marketing.services import campaigns as marketing_services
from signals import services
from signals.models import CompanyScore, ContactScore, Signal
from tests import builders as b
from tests.marketing.test_campaign_rules import renewal_company, seat


@pytest.mark.django_db
def test_generator_twice_adds_nothing_the_second_time():
    """A second run adds no signal; both runs are recorded as ple cycles."""
    co = renewal_company()
    renewal_company(opens_in=10)  # window not open yet: no signal
    first = pipeline.signals_generate(actor="cron")
    second = pipeline.signals_generate(actor="cron")
    assert (first.signals_added, second.signals_added) == (1, 0)
    (s,) = Signal.objects.all()
    assert s.company_id == co.pk
    assert s.reason == f"renewal_window_open_{co.renewal_notice_window_days}d"
    assert PleCycle.objects.filter(cycle_name="generate_signals", status="completed").count() == 2
    assert PleCycle.objects.get(pk=first.cycle_id).counts["signals_added"] == 1


@pytest.mark.django_db
def test_window_crossing_the_year_end_is_one_signal_per_cycle():
    """February renewal with a 120-day window: open in November and January, one signal for
    the 2027 renewal; the 2028 cycle gets its own key when its window opens."""
    co = b.company(renewal_month=2, renewal_notice_window_days=120)
    assert pipeline.signals_generate(actor="t", today=dt.date(2026, 10, 1)).signals_added == 0
    assert pipeline.signals_generate(actor="t", today=dt.date(2026, 11, 15)).signals_added == 1
    assert pipeline.signals_generate(actor="t", today=dt.date(2027, 1, 20)).signals_added == 0
    assert pipeline.signals_generate(actor="t", today=dt.date(2027, 2, 2)).signals_added == 0
    assert pipeline.signals_generate(actor="t", today=dt.date(2027, 10, 10)).signals_added == 1
    keys = sorted(Signal.objects.values_list("dedupe_key", flat=True))
    assert keys == [f"renewal:{co.pk}:2027-02-01", f"renewal:{co.pk}:2028-02-01"]
    first = Signal.objects.get(dedupe_key=f"renewal:{co.pk}:2027-02-01")
    assert first.payload["campaign_window_start"] == "2026-10-04"
    assert first.reason == "renewal_window_open_120d"


@pytest.mark.django_db
def test_january_renewal_seen_from_december():
    """A January renewal seen on 20 December is next year's renewal (window open)."""
    co = b.company(renewal_month=1, renewal_notice_window_days=30)
    pipeline.signals_generate(actor="t", today=dt.date(2026, 12, 20))
    assert Signal.objects.get().dedupe_key == f"renewal:{co.pk}:2027-01-01"


@pytest.mark.django_db
def test_inactive_and_archived_companies_get_no_signal():
    """Only active companies get renewal signals."""
    renewal_company(status="inactive")
    renewal_company(status="archived")
    assert pipeline.signals_generate(actor="t").signals_added == 0


@pytest.mark.django_db
def test_company_score_decays_with_signal_age():
    """A fresh renewal signal (strength 80, weight 1.0) scores 80; 30 days older, 40."""
    fresh, old = renewal_company(), renewal_company()
    pipeline.signals_generate(actor="t")
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE bit.signal SET created_at = now() - interval '30 days' WHERE company_id = %s",
            [old.pk],
        )
    pipeline.signals_generate(actor="t")
    assert CompanyScore.objects.get(pk=fresh.pk).total_score == 80
    assert CompanyScore.objects.get(pk=old.pk).total_score == 40
    breakdown = CompanyScore.objects.get(pk=fresh.pk).signal_breakdown
    assert list(breakdown) == [f"renewal_window_open_{fresh.renewal_notice_window_days}d"]


@pytest.mark.django_db
def test_contact_score_from_campaign_outcomes():
    """A replied member scores 40, a booked one 60."""
    co = renewal_company()
    seat(co, "CEO")
    seat(co, "CFO")
    c = marketing_services.campaign_create(
        name="R", type="renewal", target_roles=["CEO", "CFO"], company_ids=[co.pk], actor="a"
    )
    marketing_services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    ceo, cfo = c.members.order_by("role_code")
    marketing_services.member_record_outcome(member_id=ceo.pk, outcome="replied", actor="a")
    marketing_services.member_record_outcome(
        member_id=cfo.pk,
        outcome="booked",
        actor="a",
        event_time=timezone.now() + timedelta(days=3),
        source="email",
    )
    pipeline.signals_generate(actor="t")
    assert ContactScore.objects.get(pk=ceo.contact_id).engagement_score == 40
    assert ContactScore.objects.get(pk=cfo.contact_id).engagement_score == 60


@pytest.mark.django_db
def test_mark_processed_counts_only_unprocessed():
    """Marking processed changes unprocessed signals and keeps earlier processing times."""
    a, z = renewal_company(), renewal_company()
    pipeline.signals_generate(actor="t")
    sa, sz = Signal.objects.get(company=a), Signal.objects.get(company=z)
    assert services.signal_mark_processed(signal_ids=[sa.pk], actor="x") == 1
    sa.refresh_from_db()
    first_time = sa.processed_at
    assert services.signal_mark_processed(signal_ids=[sa.pk, sz.pk], actor="x") == 1
    sa.refresh_from_db()
    assert sa.processed_at == first_time


@pytest.mark.django_db
def test_management_command_is_idempotent_and_rejects_bad_dates():
    """generate_signals reports what it did, adds nothing the second time, refuses a bad date."""
    renewal_company()
    out = StringIO()
    call_command("generate_signals", stdout=out)
    call_command("generate_signals", stdout=out)
    lines = out.getvalue().splitlines()
    assert "1 signal(s) added" in lines[0] and "0 signal(s) added" in lines[1]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate_signals", date="31/12/2026")


@pytest.mark.django_db
@pytest.mark.owner
def test_todays_run_reads_stored_dates_with_the_same_result_as_computing():
    """Run for today (stored dates, signals 0004) gives the signals the computed dates give,
    including a company whose stored date is stale because the roll-forward has not run."""
    from tests.companies.test_renewal_dates import make_stale

    for month in range(1, 13):
        b.company(renewal_month=month, renewal_notice_window_days=30 + 7 * month)
    stale = renewal_company()
    make_stale(stale.pk)
    b.company(renewal_month=None)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT format('renewal:%s:%s', c.company_id, d.nr), d.nr"
            " FROM company.company c,"
            " LATERAL (SELECT company.next_renewal_date(c.renewal_month, current_date) AS nr) d"
            " WHERE c.status = 'active' AND c.renewal_month IS NOT NULL"
            " AND d.nr - c.renewal_notice_window_days <= current_date"
        )
        expected = {key: nr.isoformat() for key, nr in cur.fetchall()}
        cur.execute("SELECT bit.generate_renewal_signals(current_date)")
    signals = Signal.objects.filter(reason__startswith="renewal_window_open_")
    got = {s.dedupe_key: s.payload["next_renewal_date"] for s in signals}
    assert got == expected
    assert f"renewal:{stale.pk}:" in " ".join(got)
