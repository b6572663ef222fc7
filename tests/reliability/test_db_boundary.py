"""The database boundary, read from the catalog and exercised as the real roles.

Each check is a plain function returning a list of violations (empty = holds), so
test_mutations.py can run the very same checks against a deliberately weakened schema. The
matrices are generated from the catalog (columns, definer functions, roles), never hand lists;
what *is* pinned here is the expectation, so a new SECURITY DEFINER function, policy or role
fails until someone reviews it and adds it.
"""

import pytest
from django.db import DatabaseError, connection

PROTECTED = ["intake.raw_loads", "vault.contacts", "intake.audit_log"]
APP_ROLES = ["outreach_app", "mcp_ingest", "mcp_promote"]
WRITER_ROLES = ["intake_writer", "vault_writer"]
OPERATIONS = ["INSERT", "UPDATE", "DELETE", "TRUNCATE"]
# the only direct write any app role may make: appending to the audit log
ALLOWED_WRITES = {("intake.audit_log", "outreach_app", "INSERT")}
PINNED_SEARCH_PATH = "search_path=pg_catalog, pg_temp"

# Expected has_function_privilege(role, fn, 'EXECUTE'), from the migrations' GRANT lines:
# f_ingest_json → mcp_ingest, f_promote_* → mcp_promote, f_relink → outreach_app; outreach_app
# is a member of mcp_ingest and mcp_promote (0001_foundation.sql), so it inherits theirs. The
# history trigger function is REVOKEd from PUBLIC and granted to nobody (regprocedure prints
# public.trigger_history() without its schema, public being on the search_path), as are the
# verification-address ones (people 0050).
EXECUTE = {
    "intake.f_ingest_json(jsonb[],text,text)": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": True,
        "mcp_promote": False,
    },
    "intake.f_promote_company_intake(bigint[])": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": False,
        "mcp_promote": True,
    },
    "vault.f_promote_contacts(bigint[])": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": False,
        "mcp_promote": True,
    },
    "vault.f_relink_people_contact(bigint,bigint)": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    # the sealed acting user (outreach_admin 0050): the app names its user through set_actor;
    # set_system_actor (promotions) is vault_writer's alone; current_actor() is read by the app
    # role and the writer roles' functions and triggers
    "current_actor()": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "set_actor(text)": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "set_system_actor(text)": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    # the roll-forward runs as the owner so only it can keep updated_at (companies 0070)
    "company.f_roll_renewal_dates(date)": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    # the worker API's token check: the hash column is the owner's (intake 0091)
    "intake.worker_authenticate(text)": {
        "PUBLIC": False,
        "outreach_app": True,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "trigger_history()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    # verification follows the address (people 0050): trigger functions and their helpers
    "people.address_status(bigint,text)": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "people.refresh_contact_verification(bigint,text)": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "people.trigger_contact_email_verification()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "people.trigger_contact_verification_address()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "people.trigger_email_verification_current()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    # Issue 18: summary triggers are SECURITY DEFINER so writers need only SELECT on the
    # summaries; nobody may call them directly.
    "company.trigger_renewal_count()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "company.trigger_renewal_count_truncate()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "company.trigger_slot_coverage()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "company.trigger_slot_coverage_truncate()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "marketing.trigger_member_status_count()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "marketing.trigger_member_status_count_truncate()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "marketing.trigger_renewal_readiness()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
    "marketing.trigger_renewal_readiness_truncate()": {
        "PUBLIC": False,
        "outreach_app": False,
        "mcp_ingest": False,
        "mcp_promote": False,
    },
}

_both = ("RESTRICTIVE", ["public"])
POLICIES = sorted(
    [
        (schema, table, name, permissive, roles, cmd)
        for schema, table, writer_policies in [
            (
                "intake",
                "raw_loads",
                [
                    ("intake_writer_insert", "PERMISSIVE", ["intake_writer"], "INSERT"),
                    ("vault_writer_update", "PERMISSIVE", ["vault_writer"], "UPDATE"),
                ],
            ),
            (
                "vault",
                "contacts",
                [
                    ("vault_writer_insert", "PERMISSIVE", ["vault_writer"], "INSERT"),
                    ("vault_writer_update", "PERMISSIVE", ["vault_writer"], "UPDATE"),
                ],
            ),
        ]
        for name, permissive, roles, cmd in [
            ("allow_select", "PERMISSIVE", ["public"], "SELECT"),
            ("no_direct_insert", *_both, "INSERT"),
            ("no_direct_update", *_both, "UPDATE"),
            ("no_direct_delete", *_both, "DELETE"),
            *writer_policies,
        ]
    ]
)

APP_SCHEMAS_SQL = (
    "SELECT oid FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'"
)


def run(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def fingerprint(table):
    """Row count and md5 of every row's text, seen by the owner (who bypasses RLS)."""
    return tuple(
        run(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
            f"FROM {table} t"
        )[0]
    )


_LITERALS = {
    "text": "'reliability-probe'",
    "jsonb": "'{}'::jsonb",
    "bigint": "0",
    "integer": "0",
    "boolean": "false",
    "timestamp with time zone": "now()",
}


def write_statement(table, operation):
    """The direct write, built from the table's columns in the catalog."""
    columns = run(
        "SELECT attname, format_type(atttypid, atttypmod), attnotnull, atthasdef, attidentity, "
        "attgenerated FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [table],
    )
    if operation == "INSERT":
        required = [
            (name, kind)
            for name, kind, notnull, hasdef, identity, generated in columns
            if notnull and not hasdef and not identity and not generated
        ]
        names = ", ".join(name for name, _ in required)
        values = ", ".join(_LITERALS[kind] for _, kind in required)
        return f"INSERT INTO {table} ({names}) VALUES ({values})"
    if operation == "UPDATE":
        target = next(name for name, kind, *_ in columns if kind == "text")
        return f"UPDATE {table} SET {target} = {target} || '~'"
    if operation == "DELETE":
        return f"DELETE FROM {table}"
    return f"TRUNCATE {table}"


def direct_write_cases():
    return [(t, r, op) for t in PROTECTED for r in APP_ROLES for op in OPERATIONS]


def check_direct_writes(stats=None):
    """Every direct write as every app role inside a savepoint: refused with 42501 and the
    table's count and fingerprint unchanged (audit_log INSERT by outreach_app: exactly one row
    more). The savepoint is always rolled back."""
    stats = stats if stats is not None else {}
    violations = []
    for table, role, operation in direct_write_cases():
        sql = write_statement(table, operation)
        before = fingerprint(table)
        state = None
        run("SAVEPOINT rel_probe")
        try:
            run(f'SET LOCAL ROLE "{role}"')
            run(sql)
        except DatabaseError as exc:
            state = getattr(exc.__cause__, "sqlstate", "?")
            run("ROLLBACK TO SAVEPOINT rel_probe")
        run("RESET ROLE")
        after = fingerprint(table)
        run("ROLLBACK TO SAVEPOINT rel_probe")
        run("RELEASE SAVEPOINT rel_probe")
        stats["cases tried"] = stats.get("cases tried", 0) + 1
        case = f"{operation} on {table} as {role}"
        if (table, role, operation) in ALLOWED_WRITES:
            if state is not None or after[0] != before[0] + 1:
                violations.append(f"{case}: append should add one row (error {state})")
            continue
        if state != "42501":
            violations.append(f"{case}: not refused with 42501 (got {state or 'no error'})")
        if after != before:
            violations.append(f"{case}: rows changed ({before[0]} → {after[0]} rows)")
            stats["rows lost"] = stats.get("rows lost", 0) + (abs(after[0] - before[0]) or 1)
        if state == "42501" and after == before:
            stats["refusals verified"] = stats.get("refusals verified", 0) + 1
    return violations


def check_table_grants():
    """No app role holds a write privilege on the protected tables beyond the audit append."""
    violations = []
    for table in PROTECTED:
        for role in APP_ROLES:
            for privilege in OPERATIONS + ["REFERENCES", "TRIGGER"]:
                held = run("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])[0][0]
                if held and (table, role, privilege) not in ALLOWED_WRITES:
                    violations.append(f"{role} holds {privilege} on {table}")
    return violations


def boundary_roles():
    """App and writer roles plus every LOGIN role except the schema owner."""
    owner = run("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'intake'")
    logins = run("SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname <> %s", [owner[0][0]])
    return sorted(set(APP_ROLES + WRITER_ROLES + [r for (r,) in logins]))


def check_roles():
    """No boundary role is superuser or BYPASSRLS or owns a relation in the app schemas; no app
    or login role owns a function there either (the writer roles own the definer functions)."""
    violations = []
    roles = boundary_roles()
    for name, superuser, bypass in run(
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ANY(%s)", [roles]
    ):
        if superuser:
            violations.append(f"{name} is superuser")
        if bypass:
            violations.append(f"{name} has BYPASSRLS")
    for rel, owner in run(
        f"SELECT c.oid::regclass::text, pg_get_userbyid(c.relowner) FROM pg_class c "
        f"WHERE c.relnamespace IN ({APP_SCHEMAS_SQL}) AND pg_get_userbyid(c.relowner) = ANY(%s)",
        [roles],
    ):
        violations.append(f"{owner} owns {rel}")
    for fn, owner in run(
        f"SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner) FROM pg_proc p "
        f"WHERE p.pronamespace IN ({APP_SCHEMAS_SQL}) AND pg_get_userbyid(p.proowner) = ANY(%s)",
        [[r for r in roles if r not in WRITER_ROLES]],
    ):
        violations.append(f"{owner} owns {fn}")
    return violations


def definer_functions():
    return run(
        f"SELECT p.oid, p.oid::regprocedure::text, p.proconfig FROM pg_proc p "
        f"WHERE p.prosecdef AND p.pronamespace IN ({APP_SCHEMAS_SQL}) ORDER BY 2"
    )


def check_execute_matrix(stats=None):
    """has_function_privilege for PUBLIC and each app role equals the pinned EXECUTE dict, for
    every SECURITY DEFINER function in the app schemas; unknown functions are violations."""
    stats = stats if stats is not None else {}
    violations = []
    for oid, name, _ in definer_functions():
        expected = EXECUTE.get(name)
        if expected is None:
            violations.append(f"{name}: SECURITY DEFINER function not reviewed (add to EXECUTE)")
            continue
        for role, allowed in expected.items():
            held = run(
                "SELECT has_function_privilege(%s, %s::oid, 'EXECUTE')",
                ["public" if role == "PUBLIC" else role, oid],
            )[0][0]
            stats["cases tried"] = stats.get("cases tried", 0) + 1
            if held != allowed:
                violations.append(f"{name}: EXECUTE for {role} is {held}, expected {allowed}")
    return violations


def check_search_path():
    """Every definer function pins search_path to pg_catalog, pg_temp."""
    return [
        f"{name}: search_path not pinned ({config})"
        for _, name, config in definer_functions()
        if PINNED_SEARCH_PATH not in (config or [])
    ]


def check_policies():
    """The policy list of the whole database equals the pinned one."""
    actual = sorted(
        (s, t, n, p, list(r), c)
        for s, t, n, p, r, c in run(
            "SELECT schemaname, tablename, policyname, permissive, roles, cmd FROM pg_policies"
        )
    )
    missing = [p for p in POLICIES if p not in actual]
    extra = [p for p in actual if p not in POLICIES]
    return [f"policy missing: {p}" for p in missing] + [f"policy not pinned: {p}" for p in extra]


def check_rls_forced():
    """Every table with policies has row security enabled and forced."""
    return [
        f"{rel}: row security enabled={enabled} forced={forced}"
        for rel, enabled, forced in run(
            "SELECT c.oid::regclass::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
            "WHERE c.oid IN (SELECT polrelid FROM pg_policy) "
            "OR c.oid = ANY(ARRAY['intake.raw_loads', 'vault.contacts']::regclass[])"
        )
        if not (enabled and forced)
    ]


CHECKS = {
    "direct writes": check_direct_writes,
    "table grants": check_table_grants,
    "roles": check_roles,
    "execute matrix": check_execute_matrix,
    "search_path": check_search_path,
    "policies": check_policies,
    "row security": check_rls_forced,
}


def all_violations(stats=None):
    """Every check's violations, keyed by check name (only checks with violations)."""
    found = {}
    for name, check in CHECKS.items():
        result = check(stats) if name in ("direct writes", "execute matrix") else check()
        if result:
            found[name] = result
    return found


@pytest.mark.owner
def test_direct_write_matrix_refused_and_nothing_changes(seeded, figures):
    """Each of INSERT/UPDATE/DELETE/TRUNCATE on the protected tables as each app role is refused
    with 42501 and leaves count and fingerprint unchanged; only the audit append succeeds."""
    stats = {"rows lost": 0}
    violations = check_direct_writes(stats)
    figures.update(stats)
    figures["boundary violations"] += len(violations)
    assert stats["cases tried"] == len(PROTECTED) * len(APP_ROLES) * len(OPERATIONS)
    assert stats["refusals verified"] == stats["cases tried"] - len(ALLOWED_WRITES)
    assert violations == []


@pytest.mark.owner
def test_statements_built_from_catalog_are_valid_for_the_owner(seeded):
    """The generated INSERT and UPDATE work for the superuser owner, so a refusal means the role
    was refused, not that the statement was malformed."""
    for table in PROTECTED:
        for operation in ("INSERT", "UPDATE"):
            run("SAVEPOINT rel_valid")
            run(write_statement(table, operation))
            run("ROLLBACK TO SAVEPOINT rel_valid")


@pytest.mark.owner
@pytest.mark.parametrize("name", [n for n in CHECKS if n != "direct writes"])
def test_catalog_check_holds(db, name, figures):
    """The named catalog check (grants, roles, EXECUTE matrix, search_path, policies, RLS) finds
    no violation on the migrated schema."""
    check = CHECKS[name]
    stats = {}
    violations = check(stats) if name == "execute matrix" else check()
    figures.update(stats)
    figures["boundary violations"] += len(violations)
    assert violations == []


@pytest.mark.owner
def test_every_definer_function_is_reviewed_and_enumerated(db):
    """The catalog's definer functions are exactly the reviewed ones (none slipped in or out)."""
    assert sorted(name for _, name, _ in definer_functions()) == sorted(EXECUTE)


@pytest.mark.owner
def test_boundary_roles_include_every_login_role(db):
    """The role check covers the app login and no role can log in unseen."""
    roles = boundary_roles()
    assert "outreach_app" in roles
    logins = {r for (r,) in run("SELECT rolname FROM pg_roles WHERE rolcanlogin")}
    assert logins - set(roles) == {
        run("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'intake'")[0][0]
    }
