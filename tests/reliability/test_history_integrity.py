"""History integrity and the runtime role's privileges (issue 19 findings).

- The acting user: ``public.current_actor()`` honours ``outreach.actor`` only when
  ``public.set_actor`` (the app's path) or ``public.set_system_actor`` (promotions) sealed it in
  this transaction of this backend (outreach_admin 0050). A session-level ``SET`` by the app
  login, a bare ``set_config``, a copied or replayed seal all leave history naming the login.
- ``people.merge_log`` is append-only for the app role (people 0070).
- ``outreach.renewal_roll`` hides an update from ``updated_at`` only inside the roll function
  (companies 0070).
- The app role cannot read worker token hashes (intake 0091).

Each case adds to the "db boundary" area of the results table ("cases tried", and "boundary
violations" when one gets through).
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction
from psycopg.types.json import Jsonb

from companies.models import Company, CompanyHistory
from outreach_admin.db import acting_as, set_acting_user
from tests import builders as b


def run(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def refused(sql, params=None) -> str | None:
    """Run ``sql`` in a savepoint; the SQLSTATE it failed with (rolled back), else None."""
    try:
        with transaction.atomic():
            run(sql, params)
    except DatabaseError as exc:
        return getattr(exc.__cause__, "sqlstate", "?")
    return None


def holds(figures, ok: bool) -> bool:
    figures["cases tried"] += 1
    figures["boundary violations"] += not ok
    return ok


def last_changed_by(company_id: int) -> str:
    return run(
        "SELECT changed_by FROM company.history WHERE company_id = %s "
        "ORDER BY history_id DESC LIMIT 1",
        [company_id],
    )[0][0]


def edit(company_id: int, city: str) -> None:
    run("UPDATE company.company SET city = %s WHERE company_id = %s", [city, company_id])


# --- the acting user, inside one transaction (app role, the test's own transaction) -----------


@pytest.mark.django_db
def test_bare_set_config_of_the_actor_is_ignored(figures):
    """A transaction-local set_config('outreach.actor') without the seal names the login."""
    company = b.company("Forged Local Co").pk
    login = run("SELECT session_user::text")[0][0]
    run("SELECT set_config('outreach.actor', 'victim', true)")
    edit(company, "Lyon")
    assert holds(figures, last_changed_by(company) == login)
    assert run("SELECT public.current_actor()")[0][0] == login


@pytest.mark.django_db
def test_a_seal_copied_to_another_name_is_ignored(figures):
    """The seal of 'alice' does not make 'victim' an actor in the same transaction."""
    company = b.company("Copied Seal Co").pk
    login = run("SELECT session_user::text")[0][0]
    set_acting_user("alice")
    seal = run("SELECT current_setting('outreach.actor_seal')")[0][0]
    run("SELECT set_config('outreach.actor', 'victim', true)")
    run("SELECT set_config('outreach.actor_seal', %s, true)", [seal])
    edit(company, "Nice")
    assert holds(figures, last_changed_by(company) == login)


@pytest.mark.django_db
def test_the_app_path_names_the_django_user(figures):
    """set_acting_user (public.set_actor) names the user in history; '' names the login."""
    company = b.company("App Path Co").pk
    set_acting_user("alice")
    edit(company, "Paris")
    assert holds(figures, last_changed_by(company) == "alice")
    set_acting_user(None)
    edit(company, "Lille")
    assert holds(figures, last_changed_by(company) == run("SELECT session_user::text")[0][0])


@pytest.mark.django_db
def test_promotion_names_reserved_for_the_promotion(figures):
    """The app role can neither name 'promotion of batch …' nor call set_system_actor, nor read
    the key or compute a seal."""
    cases = [
        ("SELECT public.set_actor('promotion of batch 7')", "42501"),
        ("SELECT public.set_system_actor('anyone')", "42501"),
        ("SELECT secret FROM public.actor_key", "42501"),
        ("SELECT public.actor_seal('anyone')", "42501"),
    ]
    for sql, state in cases:
        assert holds(figures, refused(sql) == state), sql


@pytest.mark.django_db
def test_promotion_history_names_the_batch_and_restores_the_actor(figures):
    """Promoted rows' history names 'promotion of batch B'; the audit row and later writes name
    the caller again."""
    set_acting_user("alice")
    run(
        "SELECT * FROM intake.f_ingest_json(%s::jsonb[], 'reliability', 'hist-batch')",
        [[Jsonb({"email": "hist@hist-batch.example", "name": "Hist Person"})]],
    )
    run("SELECT * FROM vault.f_promote_contacts(NULL)")
    actors = {
        a
        for (a,) in run(
            "SELECT h.changed_by FROM people.history h JOIN people.contact c "
            "ON c.contact_id = h.contact_id WHERE c.email = 'hist@hist-batch.example'"
        )
    }
    assert holds(figures, actors == {"promotion of batch hist-batch"}), actors
    audit = run(
        "SELECT user_name FROM intake.audit_log WHERE action IN ('batch_ingested', "
        "'batch_promoted') AND batch_id = 'hist-batch' ORDER BY log_id"
    )
    assert holds(figures, audit == [("alice",), ("alice",)]), audit
    assert holds(figures, run("SELECT public.current_actor()")[0][0] == "alice")


# --- the acting user across transactions (the real app login, committed) ----------------------


@pytest.fixture
def committed_company(committed_db, django_db_blocker):
    """One committed company, deleted with its history afterwards (as the owner)."""
    with django_db_blocker.unblock():
        with acting_as("setup"):
            company = b.company("Session Actor Co", slots=False)
        try:
            yield company.pk
        finally:
            with transaction.atomic():
                Company.objects.filter(pk=company.pk).delete()
                CompanyHistory.objects.filter(company_id=company.pk).delete()
            connection.close()


def _app_login():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"],
        port=settings.get("PORT") or None,
        user="outreach_app",
    )


def _history_actor(conn, company_id):
    return conn.execute(
        "SELECT changed_by FROM company.history WHERE company_id = %s "
        "ORDER BY history_id DESC LIMIT 1",
        [company_id],
    ).fetchone()[0]


def test_session_level_actor_does_not_outlive_its_transaction(committed_company, figures):
    """The app login's session-level SET outreach.actor = 'victim', a session-level value left
    by set_config(…, false) after set_actor, and a seal replayed from an earlier transaction all
    name the login in a later transaction's history."""
    with _app_login() as conn:
        conn.execute("SET outreach.actor = 'victim'")
        conn.commit()
        conn.execute(
            "UPDATE company.company SET city = 'Lyon' WHERE company_id = %s", [committed_company]
        )
        conn.commit()
        assert holds(figures, _history_actor(conn, committed_company) == "outreach_app")

        conn.execute("SELECT public.set_actor('alice')")
        seal = conn.execute("SELECT current_setting('outreach.actor_seal')").fetchone()[0]
        conn.execute("SELECT set_config('outreach.actor', 'alice', false)")
        conn.commit()
        conn.execute(
            "UPDATE company.company SET city = 'Nice' WHERE company_id = %s", [committed_company]
        )
        conn.commit()
        assert holds(figures, _history_actor(conn, committed_company) == "outreach_app")

        conn.execute("SELECT set_config('outreach.actor_seal', %s, false)", [seal])
        conn.execute(
            "UPDATE company.company SET city = 'Metz' WHERE company_id = %s", [committed_company]
        )
        conn.commit()
        assert holds(figures, _history_actor(conn, committed_company) == "outreach_app")

        conn.execute("SELECT public.set_actor('alice')")
        conn.execute(
            "UPDATE company.company SET city = 'Brest' WHERE company_id = %s", [committed_company]
        )
        conn.commit()
        assert holds(figures, _history_actor(conn, committed_company) == "alice")


# --- people.merge_log is append-only for the app role ------------------------------------------


@pytest.fixture
def merge_log(db):
    """One merge of two fresh people (through the service) and its log id."""
    from people.services import person_merge

    survivor = b.contact("Append Only", email="append.one@merge-log.example")
    absorbed = b.contact("Append Only", email="append.two@merge-log.example")
    log = person_merge(survivor_id=survivor.pk, absorbed_id=absorbed.pk, actor="alice")
    return log.pk


@pytest.mark.django_db
def test_merge_log_refuses_update_delete_and_truncate_by_the_app_role(merge_log, figures):
    """As the app role, UPDATE of a recorded column, DELETE and TRUNCATE are 42501; the undo
    mark (the one column update the app needs) can be written once, not rewritten."""
    cases = [
        ("UPDATE people.merge_log SET merged_by = 'victim' WHERE merge_id = %s", [merge_log]),
        ("UPDATE people.merge_log SET moved_rows = '{}' WHERE merge_id = %s", [merge_log]),
        ("DELETE FROM people.merge_log WHERE merge_id = %s", [merge_log]),
        ("TRUNCATE people.merge_log", None),
    ]
    for sql, params in cases:
        assert holds(figures, refused(sql, params) == "42501"), sql
    mark = "UPDATE people.merge_log SET undone_by = %s, undone_at = now() WHERE merge_id = %s"
    assert holds(figures, refused(mark, ["alice", merge_log]) is None)
    assert holds(figures, refused(mark, ["victim", merge_log]) == "55000")
    clear = "UPDATE people.merge_log SET undone_by = NULL, undone_at = NULL WHERE merge_id = %s"
    assert holds(figures, refused(clear, [merge_log]) == "55000")
    assert run(
        "SELECT merged_by, undone_by FROM people.merge_log WHERE merge_id = %s", [merge_log]
    ) == [("alice", "alice")]


# --- outreach.renewal_roll keeps updated_at only inside the roll-forward -----------------------


@pytest.mark.django_db
def test_renewal_roll_setting_does_not_hide_an_edit(figures):
    """The app role's own outreach.renewal_roll = on does not keep updated_at; the roll-forward
    still rolls a stale date without touching it."""
    company = b.company("Roll Mark Co", renewal_month=5).pk
    stamp = "SELECT updated_at, next_renewal_date FROM company.company WHERE company_id = %s"
    before = run(stamp, [company])[0][0]
    run("SELECT set_config('outreach.renewal_roll', 'on', false)")
    try:
        edit(company, "Roll City")
        after = run(stamp, [company])[0][0]
    finally:
        run("SELECT set_config('outreach.renewal_roll', '', false)")
    assert holds(figures, after > before)

    run("RESET ROLE")  # a missed roll-forward, left by the owner with triggers off
    run("SET LOCAL session_replication_role = replica")
    run(
        "UPDATE company.company SET next_renewal_date = next_renewal_date - 366 "
        "WHERE company_id = %s",
        [company],
    )
    run("SET LOCAL session_replication_role = origin")
    run("SET LOCAL ROLE outreach_app")
    stale = run(stamp, [company])[0]
    assert run("SELECT company.f_roll_renewal_dates()")[0][0] >= 1
    rolled = run(stamp, [company])[0]
    assert holds(figures, rolled[0] == stale[0] and rolled[1] > stale[1]), (stale, rolled)


# --- worker token hashes are not the app role's to read ----------------------------------------


@pytest.mark.django_db
def test_app_role_cannot_read_or_replace_token_hashes_and_the_api_still_authenticates(
    client, figures
):
    """As the app role SELECT or UPDATE of token_hash is 42501 (other columns stay readable);
    a worker still authenticates through intake.worker_authenticate."""
    from intake import services

    row, token = services.worker_token_create(name="hash-private", kind="scraper", actor="test")
    cases = [
        ("SELECT token_hash FROM intake.worker_token WHERE token_id = %s", "42501"),
        ("SELECT * FROM intake.worker_token WHERE token_id = %s", "42501"),
        ("SELECT 1 FROM intake.worker_token WHERE token_hash <> '' AND token_id = %s", "42501"),
        (
            "UPDATE intake.worker_token SET token_hash = repeat('a', 64) WHERE token_id = %s",
            "42501",
        ),
        (
            "SELECT name, kind, active, rate_count FROM intake.worker_token WHERE token_id = %s",
            None,
        ),
    ]
    for sql, state in cases:
        assert holds(figures, refused(sql, [row.pk]) == state), sql
    response = client.post(
        "/intake/api/claim",
        '{"queue": "company_urls"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert holds(figures, response.status_code == 200), response.content
    wrong = client.post(
        "/intake/api/claim",
        '{"queue": "company_urls"}',
        content_type="application/json",
        headers={"Authorization": "Bearer wk_wrong"},
    )
    assert holds(figures, wrong.status_code == 401)
