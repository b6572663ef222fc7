"""Races and half-done work not covered elsewhere (ingest race: tests/intake, overlapping merges:
tests/people, handoffs: tests/marketing, one-shot slot race: tests/companies/test_race.py).

The concurrent harnesses are real: rows are committed, then two threads, each with its own
PostgreSQL connection, run behind a ``threading.Barrier``. pytest-django's ``transaction=True``
cannot flush this schema layout, so each harness commits through its own connections and
deletes what it made afterwards (as tests/companies/test_race.py does).
"""

import threading

import pytest
from django.db import connection, transaction

from companies import services as slots
from companies.models import Company, CompanyHistory, CompanySlot
from outreach_admin.db import acting_as, set_acting_user
from people.models import Contact, PersonHistory
from people.services import merge as people_services
from tests import builders as b

ROUNDS = 1000
BROKEN_ROUNDS = 30


def fingerprints():
    """count + md5 of every table in the app schemas (read as the owner)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
            "AND n.nspname IN ('company', 'people', 'marketing', 'intake', 'vault', 'ple', 'bit') "
            "ORDER BY 1"
        )
        tables = [t for (t,) in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
                f"FROM {table} t"
            )
            result[table] = cursor.fetchone()
        return result


@pytest.fixture
def committed_slots(committed_db, django_db_blocker):
    """Two companies with a CFO slot each and two CFO candidates per company, committed."""
    with django_db_blocker.unblock():
        with acting_as("setup"):
            made = []
            for n in (1, 2):
                c = b.company(name=f"Hammer Co {n}")
                people = [b.contact(f"Hammer {n}{x}", company=c, title="CFO") for x in "AB"]
                made.append((b.slot(c, "CFO"), people))
        try:
            yield made
        finally:
            company_ids = [s.company_id for s, _ in made]
            people_ids = [p.pk for _, ps in made for p in ps]
            with transaction.atomic():
                CompanySlot.objects.filter(company_id__in=company_ids).update(contact=None)
                Contact.objects.filter(pk__in=people_ids).delete()
                Company.objects.filter(pk__in=company_ids).delete()
                PersonHistory.objects.filter(contact_id__in=people_ids).delete()
                CompanyHistory.objects.filter(company_id__in=company_ids).delete()
            connection.close()


def broken_assign(*, slot_id, contact_id, actor):
    """The naive write: read, think, UPDATE — no row lock, no expected-value check."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_id FROM company.company_slot WHERE company_slot_id = %s", [slot_id]
        )
        if cursor.fetchone()[0] is not None:
            raise slots.SlotConflict("taken")
        cursor.execute("SELECT pg_sleep(0.005)")  # the other transaction reads meanwhile
        cursor.execute(
            "UPDATE company.company_slot SET contact_id = %s WHERE company_slot_id = %s",
            [contact_id, slot_id],
        )


def real_assign(*, slot_id, contact_id, actor):
    slots.slot_assign(slot_id=slot_id, contact_id=contact_id, actor=actor, expected_contact_id=None)


def hammer(made, assign, rounds, django_db_blocker):
    """Per round both threads try to fill the same empty slot; thread 0 empties it again.
    Returns per round the list of (actor, contact_id) that succeeded, and the slot's content."""
    barrier = threading.Barrier(2, timeout=20)
    wins = [[] for _ in range(rounds)]
    after = [None] * rounds
    errors = []

    def worker(index, actor):
        with django_db_blocker.unblock():
            try:
                connection.ensure_connection()
                for r in range(rounds):
                    slot, people = made[r % len(made)]
                    me = people[index]
                    barrier.wait()
                    try:
                        with acting_as(actor):
                            assign(slot_id=slot.pk, contact_id=me.pk, actor=actor)
                        wins[r].append((actor, me.pk))
                    except slots.SlotConflict:
                        pass
                    barrier.wait()
                    if index == 0:
                        with acting_as("cleaner"):
                            after[r] = CompanySlot.objects.get(pk=slot.pk).contact_id
                            CompanySlot.objects.filter(pk=slot.pk).update(contact=None)
            except Exception as exc:  # noqa: BLE001 — reported by the test, not swallowed
                errors.append(repr(exc))
                barrier.abort()
            finally:
                connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate("ab")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return wins, after


def fills_in_history(made, actors):
    """History rows of slot fills (empty → someone) made by ``actors`` and overwrites."""
    rows = CompanyHistory.objects.filter(
        company_id__in=[s.company_id for s, _ in made],
        table_name="company_slot",
        changed_by__in=actors,
        changed_fields__contains=["contact_id"],
    ).values_list("old_values", flat=True)
    fills = sum(1 for old in rows if old.get("contact_id") is None)
    return fills, len(rows) - fills


def test_slot_assign_hammer_no_double_fill(committed_slots, django_db_blocker, figures):
    """2 threads × 1000 concurrent assigns of the same empty slots: the broken variant (no lock,
    no expected check) shows lost updates first; slot_assign then gives exactly one fill per
    round, one history fill per success, and the slot holds the winner."""
    made = committed_slots
    broken_wins, _ = hammer(made, broken_assign, BROKEN_ROUNDS, django_db_blocker)
    races = sum(1 for w in broken_wins if len(w) > 1)
    figures["broken-variant races seen"] += races
    figures["cases tried"] += 2 * BROKEN_ROUNDS
    assert races > 0, "the broken variant never lost an update: the harness shows nothing"

    with django_db_blocker.unblock(), transaction.atomic():
        CompanyHistory.objects.filter(company_id__in=[s.company_id for s, _ in made]).delete()
    wins, after = hammer(made, real_assign, ROUNDS, django_db_blocker)
    double = sum(1 for w in wins if len(w) > 1)
    lost = sum(1 for w, held in zip(wins, after, strict=True) if len(w) == 1 and held != w[0][1])
    figures["cases tried"] += 2 * ROUNDS
    figures["double fills"] += double
    figures["rows lost"] += lost
    assert double == 0
    assert all(len(w) == 1 for w in wins), "every round has exactly one winner"
    assert lost == 0, "no slot ends with a person who lost"
    with django_db_blocker.unblock():
        fills, overwrites = fills_in_history(made, ["a", "b"])
    assert (fills, overwrites) == (ROUNDS, 0)


@pytest.mark.owner
def test_merge_failing_half_way_leaves_every_table_as_before(db, monkeypatch, figures):
    """A merge that raises after re-pointing slots and campaign rows rolls back completely: every
    table of the app schemas has the same count and fingerprint as before."""
    from marketing.models import Campaign, CampaignContact, MessageLog

    with acting_as("setup"):
        company = b.company("Halfway Co")
        survivor = b.contact(
            "Sam Halfway", email="sam@halfway.example", company=company, email_status="green"
        )
        absorbed = b.contact(
            "Sammy Halfway",
            email="sammy@halfway.example",
            company=company,
            title="CFO",
            email_status="green",
        )
        slot = b.slot(company, "CFO")
        slot.contact = absorbed
        slot.save()
        campaign = Campaign.objects.create(name="Halfway")
        CampaignContact.objects.create(campaign=campaign, contact=absorbed)
        MessageLog.objects.create(contact=absorbed, campaign=campaign, subject="Hi")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("RESET ROLE")
    before = fingerprints()
    seen = {}

    def fail_after_repointing(*args, **kwargs):
        seen["slot"] = CompanySlot.objects.get(pk=slot.pk).contact_id
        raise RuntimeError("injected failure half-way through the merge")

    monkeypatch.setattr(people_services, "_merge_one_per_person", fail_after_repointing)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE outreach_app")
    set_acting_user("merger")
    with pytest.raises(RuntimeError, match="injected"):
        people_services.person_merge(
            survivor_id=survivor.pk, absorbed_id=absorbed.pk, actor="merger"
        )
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    after = fingerprints()
    changed = [t for t in before if before[t] != after.get(t)]
    figures["cases tried"] += 1
    figures["rows lost"] += len(changed)
    assert seen["slot"] == survivor.pk, "the failure came after the slot was re-pointed"
    assert changed == []
    assert len(before) > 20
