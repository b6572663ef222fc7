"""Concurrent merges over overlapping people: no orphaned reference, counts conserved, one merge
log row per success, the loser refused with a domain error.

tests/people/test_services.py::test_concurrent_overlapping_merges_one_wins runs one overlapping
pair once, with no control and no reference check; this harness is the measured version.

Each round promotes three fresh people A, B, C the real way (``f_ingest_json`` then
``intake.services.batch_promote``: each gets a vault link and fills the CFO slot of a company of
its own) and adds each to a campaign of its own. Then two threads, each with its own PostgreSQL
connection, run ``people.services.person_merge`` behind a ``threading.Barrier`` as the app role
with the acting user set (like a request). Two overlap shapes alternate:

* "same absorbed": A ← B and C ← B at once — one must win, the other be refused;
* "chain": A ← B and B ← C at once — if A ← B commits first, B ← C must be refused (B is
  merged); if B ← C commits first, A ← B may follow (C → B → A is a valid chain, and every
  reference of C already moved to B, so A ← B carries it on to A).

The control is the same service with only its row locks removed: ``_lock_people`` (the
``SELECT … ORDER BY contact_id FOR UPDATE`` that every merge runs first) replaced by the same
SELECT without ``FOR UPDATE`` (monkeypatched for the broken rounds, so every other step is the
real code). Both merges then pass their checks on stale images: "same absorbed" writes two
merge-log rows for one absorbed person (B ends merged into whichever wrote last, though the
other log says otherwise), "chain" leaves C's slot, membership and vault link pointing at B,
which is itself merged. The harness must see such an anomaly in at least one broken round.

After every real round: no slot, campaign member or vault link of the round points at a merged
person; the three people still exist (merged ones marked, with ``merged_into`` set); exactly one
merge-log row per successful merge and at most one per absorbed person, agreeing with
``merged_into``; the loser got ``MergeRefused`` saying the person was already merged; no other
error. Everything the rounds made is deleted afterwards by the owner.
"""

import threading
import time

import pytest
from django.db import connection
from psycopg.types.json import Jsonb

from intake import services as intake
from marketing.models import Campaign, CampaignContact
from outreach_admin.db import acting_as
from people.models import ContactVerification
from people.services import merge as people_services
from tests.reliability.report import record

AREA = "merge race"
PREFIX = "rel-merge-race-"
ROUNDS = 20
BROKEN_ROUNDS = 20
SHAPES = ("same absorbed", "chain")


def _lock_people_unlocked(ids):
    """``people.services._lock_people`` without ``FOR UPDATE``: the broken variant's only change."""
    rows = people_services._fetch_all(
        "SELECT c.contact_id, to_jsonb(c) FROM people.contact c WHERE c.contact_id = ANY(%s) "
        "ORDER BY c.contact_id",
        [sorted(set(ids))],
    )
    return {r[0]: people_services._json(r[1]) for r in rows}


def owner_execute(sql: str, params=None) -> list[tuple]:
    """One autocommitting statement on the test database's own connection (never the dev db)."""
    assert connection.get_autocommit() and connection.settings_dict["NAME"].startswith("test_")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def make_people(tag: str, campaigns: list[int]) -> dict[str, int]:
    """A, B, C promoted from raw loads (vault link + own company's CFO slot) and each a member
    of its own campaign (green e-mail); returns their contact ids by letter."""
    rows = [
        {
            "email": f"{x.lower()}@{tag}-co{x.lower()}.example",
            "name": f"Merge {x} {tag}",
            "title": "CFO",
            "company": f"{tag} Co {x}",
            "website": f"https://{tag}-co{x.lower()}.example",
        }
        for x in "ABC"
    ]
    with acting_as("setup"), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM intake.f_ingest_json(%s::jsonb[], 'reliability', %s)",
            [[Jsonb(r) for r in rows], tag],
        )
    with acting_as("setup"):
        intake.batch_promote(batch_id=tag, actor="setup")
    ids = dict(
        owner_execute(
            "SELECT upper(split_part(email, '@', 1)), contact_id FROM people.contact "
            "WHERE email LIKE %s",
            [f"%@{tag}-co%"],
        )
    )
    assert sorted(ids) == ["A", "B", "C"], ids
    with acting_as("setup"):
        for letter, campaign_id in zip("ABC", campaigns, strict=True):
            # only people with a green e-mail may join a campaign
            ContactVerification.objects.update_or_create(
                contact_id=ids[letter], defaults={"email_status": "green"}
            )
            CampaignContact.objects.create(campaign_id=campaign_id, contact_id=ids[letter])
    return ids


def references(ids: dict[str, int]) -> dict[str, list[int]]:
    """Contact ids referenced by the round's slots, campaign members and vault links."""
    people = list(ids.values())
    result = {}
    for name, sql in {
        "slots": "SELECT contact_id FROM company.company_slot WHERE contact_id = ANY(%s)",
        "members": "SELECT contact_id FROM marketing.campaign_contact WHERE contact_id = ANY(%s)",
        "vault": "SELECT people_contact_id FROM vault.contacts WHERE people_contact_id = ANY(%s)",
    }.items():
        result[name] = sorted(r[0] for r in owner_execute(sql, [people]))
    return result


def check_round(ids: dict[str, int], outcomes: dict[str, tuple]) -> dict[str, int]:
    """Everything wrong after one round, as counts (all zero when the round is sound)."""
    people = list(ids.values())
    status = {
        pid: (st, into)
        for pid, st, into in owner_execute(
            "SELECT contact_id, status, merged_into_id FROM people.contact "
            "WHERE contact_id = ANY(%s)",
            [people],
        )
    }
    logs = owner_execute(
        "SELECT survivor_id, absorbed_id FROM people.merge_log WHERE absorbed_id = ANY(%s)",
        [people],
    )
    merged = {pid for pid, (st, _) in status.items() if st == "merged"}
    refs = references(ids)
    successes = sum(o[0] == "ok" for o in outcomes.values())
    absorbed = [a for _, a in logs]
    problems = {
        "orphaned references": sum(pid in merged for r in refs.values() for pid in r),
        "references lost": sum(len(r) != 3 for r in refs.values()),
        "people lost": len(people) - len(status),
        "extra logs": len(logs) - successes + (len(absorbed) - len(set(absorbed))),
        "log disagrees": sum(status[a] != ("merged", s) for s, a in logs),
        "unmarked merges": len(merged) - len(set(absorbed)),
    }
    return problems


def race(ids: dict[str, int], shape: str, django_db_blocker) -> dict[str, tuple]:
    """Both merges of ``shape`` at the same moment; per actor ("ok", log id), ("refused", msg) or
    ("error", repr)."""
    a, b, c = ids["A"], ids["B"], ids["C"]
    merges = {"m1": (a, b), "m2": (c, b) if shape == "same absorbed" else (b, c)}
    barrier = threading.Barrier(2, timeout=20)
    outcomes = {}

    def worker(actor):
        survivor, absorbed = merges[actor]
        with django_db_blocker.unblock():
            try:
                connection.ensure_connection()
                barrier.wait()
                with acting_as(actor):
                    log = people_services.person_merge(
                        survivor_id=survivor, absorbed_id=absorbed, actor=actor
                    )
                outcomes[actor] = ("ok", log.pk)
            except people_services.MergeRefused as exc:
                outcomes[actor] = ("refused", str(exc))
            except Exception as exc:  # noqa: BLE001 — counted by the test, not swallowed
                outcomes[actor] = ("error", repr(exc))
                barrier.abort()
            finally:
                connection.close()

    threads = [threading.Thread(target=worker, args=(m,)) for m in merges]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["m1", "m2"], outcomes
    return outcomes


def cleanup() -> None:
    like = f"%{PREFIX}%"
    companies = [
        r[0]
        for r in owner_execute(
            "SELECT company_id FROM company.company WHERE domain LIKE %s", [like]
        )
    ]
    people = [
        r[0]
        for r in owner_execute("SELECT contact_id FROM people.contact WHERE email LIKE %s", [like])
    ]
    campaigns = [
        r[0]
        for r in owner_execute(
            "SELECT campaign_id FROM marketing.campaign WHERE name LIKE %s", [like]
        )
    ]
    owner_execute(
        "DELETE FROM marketing.pipeline_events WHERE (entity_type = 'company' AND "
        "entity_id = ANY(%s::text[])) OR (entity_type = 'person' AND entity_id = ANY(%s::text[]))",
        [[str(i) for i in companies], [str(i) for i in people]],
    )
    owner_execute("DELETE FROM people.contact_verification WHERE contact_id = ANY(%s)", [people])
    owner_execute("DELETE FROM people.merge_log WHERE absorbed_id = ANY(%s)", [people])
    owner_execute("DELETE FROM marketing.campaign_contact WHERE campaign_id = ANY(%s)", [campaigns])
    owner_execute("DELETE FROM marketing.campaign WHERE campaign_id = ANY(%s)", [campaigns])
    owner_execute("DELETE FROM marketing.history WHERE campaign_id = ANY(%s)", [campaigns])
    owner_execute("DELETE FROM vault.contacts WHERE email LIKE %s", [like])
    owner_execute(
        "UPDATE company.company_slot SET contact_id = NULL WHERE company_id = ANY(%s)", [companies]
    )
    owner_execute(
        "UPDATE people.contact SET status = 'active', merged_into_id = NULL "
        "WHERE contact_id = ANY(%s)",
        [people],
    )
    owner_execute("DELETE FROM people.contact WHERE contact_id = ANY(%s)", [people])
    owner_execute("DELETE FROM company.company WHERE company_id = ANY(%s)", [companies])
    owner_execute("DELETE FROM people.history WHERE contact_id = ANY(%s)", [people])
    owner_execute("DELETE FROM company.history WHERE company_id = ANY(%s)", [companies])
    owner_execute(
        "DELETE FROM intake.audit_log WHERE batch_id LIKE %s OR (contact_id = ANY(%s) "
        "AND action = 'people_contact_relinked')",
        [f"{PREFIX}%", people],
    )
    owner_execute("DELETE FROM intake.raw_loads WHERE batch_id LIKE %s", [f"{PREFIX}%"])


@pytest.fixture
def merge_harness(committed_db, django_db_blocker):
    """Three campaigns (one per letter) for the rounds; everything deleted afterwards."""
    with django_db_blocker.unblock():
        cleanup()
        try:
            with acting_as("setup"):
                campaigns = [Campaign.objects.create(name=f"{PREFIX}{x}").pk for x in "ABC"]
            yield campaigns
        finally:
            connection.close()
            cleanup()
            like = f"%{PREFIX}%"
            left = owner_execute(
                "SELECT (SELECT count(*) FROM people.contact WHERE email LIKE %s) + "
                "(SELECT count(*) FROM company.company WHERE domain LIKE %s) + "
                "(SELECT count(*) FROM vault.contacts WHERE email LIKE %s) + "
                "(SELECT count(*) FROM marketing.campaign WHERE name LIKE %s) + "
                "(SELECT count(*) FROM intake.raw_loads WHERE batch_id LIKE %s) + "
                "(SELECT count(*) FROM intake.batch_summary WHERE batch_id LIKE %s)",
                [like] * 6,
            )
            connection.close()
            assert left == [(0,)], "the harness left rows behind"


def run_rounds(kind, rounds, campaigns, django_db_blocker) -> list[tuple]:
    """``rounds`` rounds alternating the shapes; per round (shape, outcomes, problems)."""
    results = []
    for n in range(rounds):
        shape = SHAPES[n % 2]
        ids = make_people(f"{PREFIX}{kind}{n}", campaigns)
        outcomes = race(ids, shape, django_db_blocker)
        results.append((shape, outcomes, check_round(ids, outcomes)))
    return results


def test_overlapping_merges_no_orphans_one_log_per_success(
    merge_harness, django_db_blocker, monkeypatch
):
    """Broken service (no FOR UPDATE on the people): an anomaly (orphaned reference or an extra
    merge log) in at least one of 20 rounds. Real service, 20 rounds of two overlapping merges:
    0 orphaned references, nobody lost, one log per success, the loser refused cleanly."""
    started = time.monotonic()
    campaigns = merge_harness
    with django_db_blocker.unblock():
        with monkeypatch.context() as patch:
            patch.setattr(people_services, "_lock_people", _lock_people_unlocked)
            broken = run_rounds("broken", BROKEN_ROUNDS, campaigns, django_db_blocker)
        seen = {shape: 0 for shape in SHAPES}
        for shape, _, problems in broken:
            seen[shape] += any(problems.values())
        broken_errors = sum(o[0] == "error" for _, out, _ in broken for o in out.values())
        record(AREA, "cases tried", 2 * BROKEN_ROUNDS)
        record(AREA, "broken-variant rounds", BROKEN_ROUNDS)
        record(AREA, "broken-variant races seen", sum(seen.values()))
        record(
            AREA,
            "broken-variant orphaned references",
            sum(p["orphaned references"] for _, _, p in broken),
        )
        record(AREA, "broken-variant extra logs", sum(p["extra logs"] for _, _, p in broken))
        assert sum(seen.values()) > 0, "the unlocked merge never went wrong: shows nothing"

        real = run_rounds("real", ROUNDS, campaigns, django_db_blocker)
        orphans = sum(p["orphaned references"] for _, _, p in real)
        anomalies = sum(v for _, _, p in real for k, v in p.items() if k != "orphaned references")
        unclean = 0
        chain_both = 0
        for shape, outcomes, _ in real:
            kinds = sorted(o[0] for o in outcomes.values())
            unclean += kinds.count("error")
            refused = [o[1] for o in outcomes.values() if o[0] == "refused"]
            unclean += sum("already merged" not in msg for msg in refused)
            if shape == "same absorbed" or kinds != ["ok", "ok"]:
                unclean += kinds != ["ok", "refused"]
            else:
                chain_both += 1
                # both succeeded: only valid when B ← C committed before A ← B
                unclean += outcomes["m2"][1] > outcomes["m1"][1]
        record(AREA, "cases tried", 2 * ROUNDS)
        record(AREA, "rounds", ROUNDS)
        record(AREA, "orphaned references", orphans)
        record(AREA, "merge anomalies", anomalies)
        record(AREA, "unclean errors", unclean)
        record(AREA, "seconds", round(time.monotonic() - started))
        print(
            f"\nmerge race: broken service went wrong in {seen['same absorbed']}/"
            f"{BROKEN_ROUNDS // 2} 'same absorbed' and {seen['chain']}/{BROKEN_ROUNDS // 2} "
            f"'chain' rounds ({broken_errors} database errors); real service: {orphans} orphaned "
            f"references, {anomalies} anomalies, {unclean} unclean outcomes in {ROUNDS} rounds "
            f"({chain_both} chains where both merges rightly succeeded)"
        )
        assert (orphans, anomalies, unclean) == (0, 0, 0), [p for *_, p in real]
