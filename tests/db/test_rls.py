"""Row level security, grants and SECURITY DEFINER hygiene of intake.raw_loads / vault.contacts.

Pins the "Facts measured on PostgreSQL 15" of docs SCHEMA.md (intake and vault): restrictive
no-direct-write policies, revoked DML grants (so writes fail loudly), no TRUNCATE for login roles,
pinned search_path against temp-table diversion, and EXECUTE only for the documented roles.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from psycopg.types.json import Jsonb

APP_ROLES = ["outreach_app", "mcp_ingest", "mcp_promote"]
PROTECTED = ["intake.raw_loads", "vault.contacts"]
WRITER_ROLES = ["intake_writer", "vault_writer"]
SHADOWED = [
    "intake.raw_loads",
    "vault.contacts",
    "intake.audit_log",
    "company.company",
    "company.company_slot",
    "people.contact",
    "people.contact_verification",
    "marketing.pipeline_events",
    "intake.free_mail_domain",
]

DIRECT_WRITES = {
    "intake.raw_loads": [
        "INSERT INTO intake.raw_loads (batch_id, source, raw_data) VALUES ('x', 'x', '{}')",
        "UPDATE intake.raw_loads SET status = 'failed'",
        "DELETE FROM intake.raw_loads",
        "TRUNCATE intake.raw_loads CASCADE",
    ],
    "vault.contacts": [
        "INSERT INTO vault.contacts (email, source) VALUES ('direct@example.com', 'x')",
        "UPDATE vault.contacts SET name = 'changed'",
        "DELETE FROM vault.contacts",
        "TRUNCATE vault.contacts",
    ],
}
WRITE_CASES = [(table, sql) for table, sqls in DIRECT_WRITES.items() for sql in sqls]

# function call → roles allowed to EXECUTE it
FUNCTIONS = {
    'SELECT * FROM intake.f_ingest_json(ARRAY[\'{"email": "fn@example.com"}\'::jsonb], '
    "'test', 'fn-batch')": {"outreach_app", "mcp_ingest"},
    "SELECT * FROM vault.f_promote_contacts(ARRAY[-1]::bigint[])": {"outreach_app", "mcp_promote"},
    "SELECT * FROM intake.f_promote_company_intake(ARRAY[-1]::bigint[])": {
        "outreach_app",
        "mcp_promote",
    },
    "SELECT vault.f_relink_people_contact(-1, -1)": {"outreach_app"},
}
FUNCTION_CASES = [
    (sql, role, role in allowed) for sql, allowed in FUNCTIONS.items() for role in APP_ROLES
]


def run(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def set_role(role):
    run(f'SET LOCAL ROLE "{role}"')


def sqlstate(excinfo):
    return getattr(excinfo.value.__cause__, "sqlstate", None)


def counts():
    return {table: run(f"SELECT count(*) FROM {table}")[0][0] for table in PROTECTED}


def seed_rows():
    """One promoted contact, written the only legal way (as the app role, through the functions)."""
    set_role("outreach_app")
    run(
        "SELECT * FROM intake.f_ingest_json(%s::jsonb[], 'test', 'rls-seed')",
        [[Jsonb({"email": "seed@rls.example", "name": "Seed"})]],
    )
    run("SELECT * FROM vault.f_promote_contacts(NULL)")


@pytest.mark.owner
@pytest.mark.parametrize("role", APP_ROLES)
@pytest.mark.parametrize(("table", "sql"), WRITE_CASES)
def test_direct_writes_fail_loudly_and_change_nothing(db, role, table, sql):
    """Direct INSERT/UPDATE/DELETE/TRUNCATE by an app role fails with 42501; row counts stay."""
    seed_rows()
    before = counts()
    assert before == {"intake.raw_loads": 1, "vault.contacts": 1}

    set_role(role)
    with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
        run(sql)
    assert sqlstate(excinfo) == "42501"

    set_role("outreach_app")
    assert counts() == before


@pytest.mark.owner
@pytest.mark.parametrize("table", PROTECTED)
def test_policies_alone_refuse_writes_even_with_grants_and_writer_membership(db, table):
    """With DML granted and writer-role membership, RLS still refuses every direct write."""
    seed_rows()
    run("RESET ROLE")
    run(f"GRANT INSERT, UPDATE, DELETE ON {table} TO outreach_app")
    run("GRANT intake_writer, vault_writer TO outreach_app")  # rolled back with the test
    before = counts()

    set_role("outreach_app")
    insert = DIRECT_WRITES[table][0]
    with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
        run(insert)
    assert sqlstate(excinfo) == "42501"  # new row violates row-level security policy
    with connection.cursor() as cursor:
        cursor.execute(DIRECT_WRITES[table][1])
        assert cursor.rowcount == 0  # refused silently by RLS: why the grants are revoked too
        cursor.execute(DIRECT_WRITES[table][2])
        assert cursor.rowcount == 0
    assert counts() == before


@pytest.mark.owner
@pytest.mark.parametrize(("sql", "role", "allowed"), FUNCTION_CASES)
def test_functions_execute_only_for_their_roles(db, sql, role, allowed):
    """Each function runs for the roles granted EXECUTE and fails with 42501 for the others."""
    set_role(role)
    if allowed:
        with transaction.atomic():
            run(sql)
    else:
        with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
            run(sql)
        assert sqlstate(excinfo) == "42501"


@pytest.mark.owner
@pytest.mark.parametrize("table", PROTECTED)
def test_rls_enabled_and_forced(db, table):
    """RLS is enabled and forced, so even the table owner obeys the policies."""
    enabled, forced = run(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass",
        [table],
    )[0]
    assert enabled and forced


@pytest.mark.owner
@pytest.mark.parametrize("table", PROTECTED)
def test_policies_present_and_no_direct_ones_restrictive(db, table):
    """allow_select is permissive; no_direct_insert/update/delete are RESTRICTIVE."""
    policies = dict(
        run("SELECT polname, polpermissive FROM pg_policy WHERE polrelid = %s::regclass", [table])
    )
    assert policies["allow_select"] is True
    for name in ("no_direct_insert", "no_direct_update", "no_direct_delete"):
        assert policies[name] is False, name


@pytest.mark.owner
def test_security_definer_functions_are_pinned_and_not_public(db):
    """Every SECURITY DEFINER function in intake/vault pins search_path and denies PUBLIC."""
    rows = run(
        """
        SELECT p.oid::regprocedure::text, p.proconfig, pg_get_userbyid(p.proowner),
               EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                       WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname IN ('intake', 'vault') AND p.prosecdef
        """
    )
    names = {row[0] for row in rows}
    assert {
        "intake.f_ingest_json(jsonb[],text,text)",
        "vault.f_promote_contacts(bigint[])",
        "vault.f_relink_people_contact(bigint,bigint)",
        "intake.f_promote_company_intake(bigint[])",
    } <= names
    for name, config, owner, public_execute in rows:
        assert "search_path=pg_catalog, pg_temp" in (config or []), name
        assert not public_execute, name
        assert owner in WRITER_ROLES, name


@pytest.mark.owner
def test_no_login_role_can_truncate_or_bypass(db):
    """No app or writer role is superuser, BYPASSRLS, owner (or member of the owner) of the
    protected tables, nor holds TRUNCATE, REFERENCES or TRIGGER on them."""
    roles = APP_ROLES + WRITER_ROLES
    for name, superuser, bypass in run(
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ANY(%s)", [roles]
    ):
        assert not superuser and not bypass, name
    for table in PROTECTED:
        owner = run(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass", [table]
        )
        for role in roles:
            assert not run("SELECT pg_has_role(%s, %s, 'USAGE')", [role, owner[0][0]])[0][0]
            for privilege in ("TRUNCATE", "REFERENCES", "TRIGGER", "DELETE"):
                assert not run("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])[
                    0
                ][0], (role, table, privilege)
        for role in APP_ROLES:
            for privilege in ("INSERT", "UPDATE"):
                assert not run("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])[
                    0
                ][0], (role, table, privilege)


def test_audit_log_is_append_only_for_the_app(db):
    """The app role may read and add audit rows but never change or remove them."""
    run("INSERT INTO intake.audit_log (action, details) VALUES ('test_append', '{}')")
    for sql in (
        "UPDATE intake.audit_log SET action = 'tampered'",
        "DELETE FROM intake.audit_log",
        "TRUNCATE intake.audit_log",
    ):
        with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
            run(sql)
        assert sqlstate(excinfo) == "42501", sql
    assert run("SELECT count(*) FROM intake.audit_log WHERE action = 'test_append'")[0][0] == 1


def test_latest_100_view_readable(db):
    """intake.latest_100 lists recent loads for the monitoring roles."""
    run(
        "SELECT * FROM intake.f_ingest_json(%s::jsonb[], 'test', 'latest')",
        [[Jsonb({"email": "latest@example.com"})]],
    )
    rows = run("SELECT batch_id, email, status FROM intake.latest_100 WHERE batch_id = 'latest'")
    assert rows == [("latest", "latest@example.com", "pending")]
    for role in ("mcp_ingest", "mcp_promote"):
        set_role(role)
        assert run("SELECT count(*) FROM intake.latest_100")[0][0] >= 1


def test_temp_tables_cannot_divert_function_writes(db):
    """Temp tables shadowing the functions' tables (and a pg_temp-first search_path) capture
    nothing: rows land in the real tables."""
    for real in SHADOWED:
        run(f"CREATE TEMP TABLE {real.split('.')[1]} (LIKE {real} INCLUDING ALL) ON COMMIT DROP")
    run("SET LOCAL search_path = pg_temp, intake, vault, company, people, marketing, public")
    before = counts()

    run(
        "SELECT * FROM intake.f_ingest_json(%s::jsonb[], 'attack', 'diversion')",
        [[Jsonb({"email": "ceo@diversion.example", "name": "Div", "title": "CEO"})]],
    )
    result = run("SELECT * FROM vault.f_promote_contacts(NULL)")

    assert result[0][0] == 1
    assert counts() == {t: n + 1 for t, n in before.items()}
    for real in SHADOWED:
        assert run(f"SELECT count(*) FROM pg_temp.{real.split('.')[1]}")[0][0] == 0, real
    assert (
        run(
            "SELECT count(*) FROM company.company_slot s JOIN people.contact p USING (contact_id) "
            "WHERE p.email = 'ceo@diversion.example'"
        )[0][0]
        == 1
    )
