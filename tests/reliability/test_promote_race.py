"""Promote twice at the same moment: the second promotion changes nothing.

Two threads, each with its own PostgreSQL connection, promote the same pending loads behind a
``threading.Barrier`` through the real service (``intake.services.batch_promote`` →
``vault.f_promote_contacts``, as the app role with the acting user set, like a request).

The control is a deliberately broken copy of the same function: ``pg_get_functiondef`` of the
real one with its ``FOR UPDATE`` on the pending loads removed (created by the owner, dropped in
``finally``). Run the same way, its second caller re-promotes loads the first already promoted
(rewrites their metadata and reports them again), which shows the harness really overlaps the
two calls. The real function must then give: one caller promotes everything, the other reports
0 promoted / 0 updated / 0 loads; and the vault, people, companies, slots and loads equal what
a single promotion of the same rows gives (same rows under another tag, compared after
normalising the tag); no person is duplicated.

Rows are committed (the two connections must see them) and deleted afterwards by the owner.
"""

import threading

import pytest
from django.db import connection, transaction
from psycopg.types.json import Jsonb

from intake import services as intake
from outreach_admin.db import acting_as, set_acting_user

PREFIX = "rel-promote-"
ROUNDS = 5
BROKEN_ROUNDS = 5
BROKEN_FN = "vault.rel_promote_unlocked"


def rows_for(tag: str) -> list[dict]:
    """12 people over 3 companies (keyed by website host); some CFOs and CEOs fill slots."""
    titles = ["CFO", "Engineer", "CEO", "Analyst"]
    return [
        {
            "email": f"p{i}@{tag}-co{i % 3}.example",
            "name": f"Person {i} {tag}",
            "title": titles[i % 4],
            "company": f"{tag} Co {i % 3}",
            "website": f"https://{tag}-co{i % 3}.example",
        }
        for i in range(12)
    ]


def ingest(tag: str) -> None:
    with acting_as("setup"), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM intake.f_ingest_json(%s::jsonb[], 'reliability', %s)",
            [[Jsonb(r) for r in rows_for(tag)], tag],
        )


def projection(tag: str):
    """What a promotion of ``tag``'s rows produced, ids and timestamps left out, tag → T."""
    like = f"%{tag}%"
    queries = {
        "vault": "SELECT email, name, phone, company, title, source, custom_fields::text "
        "FROM vault.contacts WHERE email LIKE %s ORDER BY 1",
        "people": "SELECT lower(p.email), p.full_name, p.status, co.domain "
        "FROM people.contact p LEFT JOIN company.company co USING (company_id) "
        "WHERE p.email LIKE %s ORDER BY 1",
        "companies": "SELECT company_name, domain, website_url FROM company.company "
        "WHERE domain LIKE %s ORDER BY 2",
        "slots": "SELECT co.domain, s.role_code, p.email FROM company.company_slot s "
        "JOIN company.company co USING (company_id) "
        "LEFT JOIN people.contact p ON p.contact_id = s.contact_id "
        "WHERE co.domain LIKE %s ORDER BY 1, 2",
        "loads": "SELECT raw_data ->> 'email', status FROM intake.raw_loads "
        "WHERE batch_id LIKE %s ORDER BY 1",
    }
    result = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, [like])
            result[name] = [
                tuple(str(v).replace(tag, "T") if v is not None else None for v in row)
                for row in cursor.fetchall()
            ]
    return result


def vault_fingerprint(tag: str):
    """Full content (ids, timestamps included) of the tag's vault rows and raw loads."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT md5(string_agg(c::text, ',' ORDER BY c.contact_id)) "
            "        FROM vault.contacts c WHERE c.email LIKE %s), "
            "       (SELECT md5(string_agg(r::text, ',' ORDER BY r.load_id)) "
            "        FROM intake.raw_loads r WHERE r.batch_id = %s)",
            [f"%{tag}%", tag],
        )
        return cursor.fetchone()


def promote_real(tag: str, actor: str) -> tuple[int, int, int]:
    """(promoted, updated, loads) as the service reports them; nothing pending → zeros."""
    try:
        with acting_as(actor):
            outcome = intake.batch_promote(batch_id=tag, actor=actor)
    except intake.IngestRefused:
        return (0, 0, 0)
    r = outcome.result
    return (r.promoted_count, r.updated_count, outcome.load_count if r.promoted_count else 0)


def loads_reported(tag: str) -> list[int]:
    """``loads_promoted`` of every promotion audit row of the batch, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (details ->> 'loads_promoted')::int FROM intake.audit_log "
            "WHERE action = 'batch_promoted' AND batch_id = %s ORDER BY log_id",
            [tag],
        )
        return [n for (n,) in cursor.fetchall()]


def promote_broken(tag: str, actor: str) -> None:
    """The unlocked copy, called by the owner with the actor set (RLS does not apply)."""
    with transaction.atomic(), connection.cursor() as cursor:
        set_acting_user(actor)
        cursor.execute(
            "SELECT coalesce(array_agg(load_id ORDER BY load_id), '{}') FROM intake.raw_loads "
            "WHERE batch_id = %s AND status = 'pending'",
            [tag],
        )
        ids = cursor.fetchone()[0]
        cursor.execute(f"SELECT * FROM {BROKEN_FN}(%s::bigint[])", [ids])


def race(tag: str, promote, django_db_blocker) -> dict[str, object]:
    """Both threads call ``promote(tag, actor)`` at the same moment; returns their results."""
    barrier = threading.Barrier(2, timeout=20)
    results, errors = {}, []

    def worker(actor):
        with django_db_blocker.unblock():
            try:
                barrier.wait()
                results[actor] = promote(tag, actor)
            except Exception as exc:  # noqa: BLE001 — reported by the test, not swallowed
                errors.append(repr(exc))
            finally:
                connection.close()

    threads = [threading.Thread(target=worker, args=(a,)) for a in ("pa", "pb")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


class owner_conn:  # noqa: N801 — used like psycopg.connect(...)
    """The test database's own connection (the owner login), autocommitting each statement.

    Not a new psycopg connection: ``connection.settings_dict`` may still name the development
    database here, and DDL must never land there.
    """

    def __enter__(self):
        assert connection.get_autocommit() and connection.settings_dict["NAME"].startswith(
            "test_"
        ), connection.settings_dict["NAME"]
        self.cursor = connection.cursor()
        return self

    def __exit__(self, *exc):
        self.cursor.close()

    def execute(self, sql, params=None):
        self.cursor.execute(sql, params)
        return self.cursor


def create_broken_copy() -> None:
    with owner_conn() as conn:
        (definition,) = conn.execute(
            "SELECT pg_get_functiondef('vault.f_promote_contacts(bigint[])'::regprocedure)"
        ).fetchone()
        broken = definition.replace("vault.f_promote_contacts(", f"{BROKEN_FN}(", 1)
        broken = broken.replace("FOR UPDATE) AS s", ") AS s").replace("SECURITY DEFINER", "")
        assert "FOR UPDATE" not in broken and BROKEN_FN in broken, "the copy is not the broken one"
        conn.execute(broken)
        conn.execute(f"REVOKE EXECUTE ON FUNCTION {BROKEN_FN}(bigint[]) FROM PUBLIC")


def cleanup() -> None:
    """Delete everything the promotions of PREFIX batches made (owner, autocommit)."""
    like = f"%{PREFIX}%"
    with owner_conn() as conn:
        conn.execute(f"DROP FUNCTION IF EXISTS {BROKEN_FN}(bigint[])")
        companies = [
            r[0]
            for r in conn.execute(
                "SELECT company_id FROM company.company WHERE domain LIKE %s", [like]
            )
        ]
        people = [
            r[0]
            for r in conn.execute(
                "SELECT contact_id FROM people.contact WHERE email LIKE %s", [like]
            )
        ]
        conn.execute(
            "DELETE FROM marketing.pipeline_events WHERE (entity_type = 'company' AND "
            "entity_id = ANY(%s::text[])) OR "
            "(entity_type = 'person' AND entity_id = ANY(%s::text[]))",
            [[str(i) for i in companies], [str(i) for i in people]],
        )
        conn.execute("DELETE FROM vault.contacts WHERE email LIKE %s", [like])
        conn.execute(
            "UPDATE company.company_slot SET contact_id = NULL WHERE company_id = ANY(%s)",
            [companies],
        )
        conn.execute("DELETE FROM people.contact WHERE contact_id = ANY(%s)", [people])
        conn.execute("DELETE FROM company.company WHERE company_id = ANY(%s)", [companies])
        conn.execute("DELETE FROM people.history WHERE contact_id = ANY(%s)", [people])
        conn.execute("DELETE FROM company.history WHERE company_id = ANY(%s)", [companies])
        conn.execute("DELETE FROM intake.raw_loads WHERE batch_id LIKE %s", [f"{PREFIX}%"])
        conn.execute("DELETE FROM intake.audit_log WHERE batch_id LIKE %s", [f"{PREFIX}%"])


@pytest.fixture
def promote_harness(committed_db, django_db_blocker):
    with django_db_blocker.unblock():
        cleanup()
        try:
            yield
        finally:
            connection.close()
            cleanup()


def test_promote_twice_concurrently_second_changes_nothing(
    promote_harness, django_db_blocker, figures
):
    """Broken copy (no FOR UPDATE): the second caller re-promotes loads. Real function, 5 rounds
    of two simultaneous promotions: one does everything, the other reports 0/0/0, the result
    equals a single promotion's, no duplicate person, and a later re-run changes nothing."""
    with django_db_blocker.unblock():
        create_broken_copy()
        broken_seen = 0
        for n in range(BROKEN_ROUNDS):
            tag = f"{PREFIX}broken{n}"
            ingest(tag)
            race(tag, promote_broken, django_db_blocker)
            reported = loads_reported(tag)
            broken_seen += sum(reported) > len(rows_for(tag))
        figures["cases tried"] += 2 * BROKEN_ROUNDS
        figures["broken-variant races seen"] += broken_seen
        assert broken_seen > 0, "the unlocked copy never re-promoted: the harness shows nothing"

        ref = f"{PREFIX}ref"
        ingest(ref)
        assert promote_real(ref, "single")[0] == len(rows_for(ref))
        expected = projection(ref)
        assert len(expected["people"]) == 12 and len(expected["companies"]) == 3

        second_changes = duplicates = lost = 0
        for n in range(ROUNDS):
            tag = f"{PREFIX}race{n}"
            ingest(tag)
            results = race(tag, promote_real, django_db_blocker)
            counts = sorted(results.values())
            second_changes += counts[0] != (0, 0, 0)
            assert counts[1][0] == len(rows_for(tag)), counts
            got = projection(tag)
            people = [p[0] for p in got["people"]]
            duplicates += len(people) - len(set(people))
            lost += sum(got[k] != expected[k] for k in expected)
            assert got == expected, tag
            before = vault_fingerprint(tag)
            assert promote_real(tag, "again") == (0, 0, 0)
            assert vault_fingerprint(tag) == before, "a re-run changed the vault or the loads"
        figures["cases tried"] += 2 * ROUNDS
        figures["second promote changes"] += second_changes
        figures["duplicate people"] += duplicates
        figures["rows lost"] += lost
        assert (second_changes, duplicates, lost) == (0, 0, 0)
