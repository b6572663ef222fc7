import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from marketing.models import Attribution, BookingEvent, Campaign, CampaignContact, MessageLog
from outreach_admin.db import acting_as
from people.models import (
    Contact,
    ContactVerification,
    EmailVerification,
    Enrichment,
    MergeLog,
    PersonHistory,
    PersonIntelligence,
    ResolutionQueue,
)
from people.services import (
    MergeRefused,
    PairStateError,
    UndoRefused,
    merge_preview,
    merge_undo,
    pair_defer,
    pair_mark_not_duplicate,
    pairs_bulk_merge,
    person_merge,
)
from signals.models import ContactScore, Signal
from tests import builders

SNAPSHOT_TABLES = {
    "people.contact": "contact_id",
    "people.contact_verification": "contact_id",
    "people.email_verification": "verification_id",
    "people.enrichment": "enrichment_id",
    "people.intelligence": "intelligence_id",
    "people.resolution_queue": "resolution_id",
    "company.company_slot": "company_slot_id",
    "marketing.campaign_contact": "campaign_contact_id",
    "marketing.message_log": "message_log_id",
    "marketing.booking_event": "booking_event_id",
    "marketing.attribution": "attribution_id",
    "bit.signal": "signal_id",
    "bit.contact_score": "contact_id",
}
# set by triggers at the time of each write; an undo cannot (and need not) travel back in time
BOOKKEEPING = {"updated_at", "filled_at"}


def snapshot() -> dict:
    """Every row of every table a merge touches, without trigger-stamped bookkeeping columns."""
    data = {}
    with connection.cursor() as cursor:
        for table, pk in SNAPSHOT_TABLES.items():
            cursor.execute(f"SELECT to_jsonb(t) FROM {table} t ORDER BY {pk}")
            rows = []
            for (row,) in cursor.fetchall():
                row = __import__("json").loads(row) if isinstance(row, str) else row
                rows.append({k: v for k, v in row.items() if k not in BOOKKEEPING})
            data[table] = rows
    return data


def pair(a, b, **extra):
    extra.setdefault("conflict_type", "email")
    return ResolutionQueue.objects.create(
        contact_primary=a, contact_duplicate=b, score=0.9, **extra
    )


@pytest.fixture
def rich():
    """A survivor and an absorbed person with something in every table that references people."""
    company, other = builders.company("Acme"), builders.company("Globex")
    survivor = builders.contact(
        "Robert Lambert", email="rob@acme.example", company=company, email_status="green"
    )
    absorbed = builders.contact(
        "Bob Lambert",
        email="bob.lambert@acme.example",
        company=company,
        email_status="green",
        title="CFO",
    )
    third = builders.contact("Roberta Lambert", email="roberta@globex.example", company=other)
    slot = builders.slot(other, "CEO")
    slot.contact = absorbed
    slot.save()
    shared, solo = Campaign.objects.create(name="Spring"), Campaign.objects.create(name="Solo")
    CampaignContact.objects.create(campaign=shared, contact=survivor, status="sent")
    CampaignContact.objects.create(campaign=shared, contact=absorbed, status="replied")
    CampaignContact.objects.create(campaign=solo, contact=absorbed)
    MessageLog.objects.create(contact=absorbed, campaign=shared, subject="Hi")
    booking = BookingEvent.objects.create(
        contact=absorbed, company=company, event_time=timezone.now()
    )
    from marketing.models import AcHandoff

    AcHandoff.objects.create(company=company, contact=absorbed, booking_event=booking)
    Attribution.objects.create(contact=absorbed, conversion_type="meeting")
    EmailVerification.objects.create(
        contact=absorbed, email="bob.lambert@acme.example", email_status="green"
    )
    Enrichment.objects.create(contact=absorbed, agent_name="apify", enrichment_type="profile")
    PersonIntelligence.objects.create(contact=absorbed, intelligence_type="job_change")
    Signal.objects.create(company=company, contact=absorbed, reason="visited pricing")
    ContactScore.objects.create(contact=survivor, engagement_score=10)
    ContactScore.objects.create(contact=absorbed, engagement_score=70)
    the_pair = pair(survivor, absorbed)
    other_pair = pair(absorbed, third, conflict_type="name_similar")
    return dict(
        survivor=survivor,
        absorbed=absorbed,
        third=third,
        pair=the_pair,
        other_pair=other_pair,
        shared=shared,
        slot=slot,
    )


@pytest.mark.django_db
def test_merge_repoints_every_reference(rich):
    """A merge moves every child row to the survivor and keeps the absorbed person as merged."""
    s, a = rich["survivor"], rich["absorbed"]
    log = person_merge(
        survivor_id=s.pk, absorbed_id=a.pk, actor="casey", resolution_id=rich["pair"].pk
    )
    a.refresh_from_db()
    s.refresh_from_db()
    assert a.status == "merged" and a.merged_into_id == s.pk
    assert s.email == "bob.lambert@acme.example"  # both green: the more recently verified wins
    assert s.title == "CFO"  # survivor had none
    for model in (
        MessageLog,
        BookingEvent,
        Attribution,
        EmailVerification,
        Enrichment,
        PersonIntelligence,
        Signal,
    ):
        assert not model.objects.filter(contact=a).exists(), model
    assert CampaignContact.objects.filter(contact=s).count() == 2  # collision kept once
    assert ContactScore.objects.get(contact=s).engagement_score == 70
    assert ContactVerification.objects.get(contact=s).email_status == "green"
    rich["slot"].refresh_from_db()
    assert rich["slot"].contact_id == s.pk
    assert ResolutionQueue.objects.get(pk=rich["pair"].pk).resolution_status == "merged"
    assert ResolutionQueue.objects.get(pk=rich["other_pair"].pk).resolution_status == "merged"
    assert len(log.moved_rows["marketing.campaign_contact:collided"]) == 1


@pytest.mark.django_db
def test_merge_then_undo_restores_database_exactly(rich):
    """Undo puts back every row exactly as before the merge (bookkeeping timestamps aside)."""
    before = snapshot()
    log = person_merge(
        survivor_id=rich["survivor"].pk,
        absorbed_id=rich["absorbed"].pk,
        actor="casey",
        resolution_id=rich["pair"].pk,
    )
    assert snapshot() != before
    merge_undo(merge_id=log.pk, actor="casey")
    after = snapshot()
    for table in SNAPSHOT_TABLES:
        assert after[table] == before[table], table
    assert MergeLog.objects.get(pk=log.pk).undone_by == "casey"


@pytest.mark.django_db
def test_preview_reports_impact_and_collision(rich):
    """The preview counts what moves and says the shared campaign membership is kept once."""
    preview = merge_preview(survivor_id=rich["survivor"].pk, absorbed_id=rich["absorbed"].pk)
    text = " ".join(preview.lines)
    assert preview.ok
    assert "1 slot" in text and "1 campaign membership" in text and "kept once" in text
    assert "Spring" in text


@pytest.mark.django_db
def test_merge_guards():
    """No merge into itself, into or from a merged record, or into two slots at one company."""
    c = builders.company()
    a, b, d = builders.contact(), builders.contact(), builders.contact()
    with pytest.raises(MergeRefused, match="itself"):
        person_merge(survivor_id=a.pk, absorbed_id=a.pk, actor="t")
    person_merge(survivor_id=a.pk, absorbed_id=b.pk, actor="t")
    with pytest.raises(MergeRefused, match=f"live record is #{a.pk}"):
        person_merge(survivor_id=b.pk, absorbed_id=d.pk, actor="t")
    with pytest.raises(MergeRefused, match="already merged"):
        person_merge(survivor_id=d.pk, absorbed_id=b.pk, actor="t")
    ceo, cfo = builders.slot(c, "CEO"), builders.slot(c, "CFO")
    ceo.contact, cfo.contact = a, d
    ceo.save()
    cfo.save()
    with pytest.raises(MergeRefused, match="two slots"):
        person_merge(survivor_id=a.pk, absorbed_id=d.pk, actor="t")
    with pytest.raises(MergeRefused, match="does not exist"):
        person_merge(survivor_id=a.pk, absorbed_id=999999, actor="t")
    assert Contact.objects.get(pk=d.pk).status == "active"


@pytest.mark.django_db
def test_undo_refused_when_slot_taken_since(rich):
    """Undo is refused, with the reason, when a moved slot now holds someone else."""
    log = person_merge(
        survivor_id=rich["survivor"].pk, absorbed_id=rich["absorbed"].pk, actor="casey"
    )
    slot = rich["slot"]
    slot.refresh_from_db()
    slot.contact = rich["third"]
    slot.save()
    with pytest.raises(UndoRefused, match="CEO slot at Globex now holds"):
        merge_undo(merge_id=log.pk, actor="casey")
    assert Contact.objects.get(pk=rich["absorbed"].pk).status == "merged"


@pytest.mark.django_db
def test_undo_refused_when_survivor_merged_again(rich):
    """Undo is refused when the survivor was merged into someone else since."""
    log = person_merge(
        survivor_id=rich["survivor"].pk, absorbed_id=rich["absorbed"].pk, actor="casey"
    )
    person_merge(survivor_id=rich["third"].pk, absorbed_id=rich["survivor"].pk, actor="casey")
    with pytest.raises(UndoRefused, match="undo that merge first"):
        merge_undo(merge_id=log.pk, actor="casey")
    with pytest.raises(UndoRefused, match="does not exist"):
        merge_undo(merge_id=999999, actor="casey")


@pytest.mark.django_db
def test_pair_triage():
    """Not-a-duplicate and defer change only the pair; a merged pair cannot be judged again."""
    a, b = builders.contact(), builders.contact()
    p = pair(a, b)
    pair_defer(resolution_id=p.pk, actor="t")
    assert ResolutionQueue.objects.get(pk=p.pk).resolution_status == "deferred"
    with pytest.raises(PairStateError):
        pair_defer(resolution_id=p.pk, actor="t")
    pair_mark_not_duplicate(resolution_id=p.pk, actor="t")
    assert ResolutionQueue.objects.get(pk=p.pk).resolved_by == "t"
    with pytest.raises(PairStateError, match="does not exist"):
        pair_defer(resolution_id=424242, actor="t")


@pytest.mark.django_db
def test_bulk_merge_only_unambiguous_with_per_row_result():
    """Bulk merge merges same-email-and-name pairs, refuses the rest, one result per id."""
    a = builders.contact("Nora Ingram", email="nora@ing.example")
    b = builders.contact("Nora Ingram", email="nora+x@ing.example")
    c, d = builders.contact("Oscar Baker"), builders.contact("Oscar Bakre")
    good = pair(a, b, evidence={"email": {"result": "equal"}, "name": {"result": "equal"}})
    bad = pair(c, d, evidence={"email": {"result": "different"}, "name": {"result": "similar"}})
    preview = pairs_bulk_merge(resolution_ids=[good.pk, bad.pk, 777777], actor="t", dry_run=True)
    assert [r["ok"] for r in preview] == [True, False, False]
    assert Contact.objects.filter(status="merged").count() == 0
    results = pairs_bulk_merge(resolution_ids=[good.pk, bad.pk], actor="t", dry_run=False)
    assert results[0]["ok"] and results[0]["merge_id"]
    assert not results[1]["ok"] and "not unambiguous" in results[1]["message"]
    assert Contact.objects.filter(status="merged").count() == 1


@pytest.fixture
def committed_people(django_db_setup, django_db_blocker):
    """Three committed people (pytest-django cannot flush this schema layout, see
    tests/companies/test_race.py), deleted again afterwards with their merge logs and history."""
    with django_db_blocker.unblock():
        with acting_as("setup"):
            made = [builders.contact(f"Concurrent {x}", email=f"c{x}@race.example") for x in "ABC"]
        try:
            yield made
        finally:
            ids = [p.pk for p in made]
            with transaction.atomic():
                MergeLog.objects.filter(survivor_id__in=ids).delete()
                Contact.objects.filter(pk__in=ids).update(status="active", merged_into=None)
                Contact.objects.filter(pk__in=ids).delete()
                PersonHistory.objects.filter(contact_id__in=ids).delete()
            connection.close()


def test_concurrent_overlapping_merges_one_wins(committed_people, django_db_blocker):
    """Two overlapping merges at once: one wins, the other is refused, nothing half-done."""
    a, b, c = committed_people
    barrier = threading.Barrier(2, timeout=10)
    outcomes = {}

    def run(name, survivor, absorbed):
        with django_db_blocker.unblock():
            try:
                with acting_as(name):
                    connection.ensure_connection()
                    barrier.wait()
                    log = person_merge(survivor_id=survivor, absorbed_id=absorbed, actor=name)
                    # hold the locks a moment so the other merge really overlaps
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(0.3)")
                outcomes[name] = ("ok", log.pk)
            except MergeRefused as exc:
                outcomes[name] = ("refused", str(exc))
            finally:
                connection.close()

    threads = [
        threading.Thread(target=run, args=("one", a.pk, b.pk)),
        threading.Thread(target=run, args=("two", c.pk, b.pk)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with django_db_blocker.unblock():
        assert sorted(o[0] for o in outcomes.values()) == ["ok", "refused"], outcomes
        logs = list(MergeLog.objects.filter(absorbed_id=b.pk))
        assert len(logs) == 1
        b.refresh_from_db()
        assert b.status == "merged" and b.merged_into_id == logs[0].survivor_id
        loser = c if logs[0].survivor_id == a.pk else a
        loser.refresh_from_db()
        assert loser.status == "active"
        assert timezone.now() - logs[0].merged_at < timedelta(minutes=5)
