"""The mutation check: each weakening of the boundary must be caught by a boundary check.

Inside the test's transaction (rolled back by pytest-django) and an inner savepoint, the owner
applies one mutation, runs every check of test_db_boundary.py, and expects at least one
violation; after rolling the savepoint back the checks are clean again. A mutation nobody
catches would mean the battery's green result says nothing about that protection.
"""

import pytest

from tests.reliability.test_db_boundary import all_violations, run

MUTATIONS = [
    "ALTER TABLE intake.raw_loads DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE intake.raw_loads NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE vault.contacts NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY no_direct_update ON vault.contacts",
    "GRANT EXECUTE ON FUNCTION intake.f_ingest_json(jsonb[], text, text) TO PUBLIC",
    "ALTER FUNCTION vault.f_promote_contacts(bigint[]) RESET search_path",
    "GRANT UPDATE ON intake.raw_loads TO outreach_app",
    "GRANT TRUNCATE ON intake.audit_log TO outreach_app",
    "ALTER ROLE mcp_promote BYPASSRLS",
    "GRANT EXECUTE ON FUNCTION public.set_system_actor(text) TO outreach_app",
    "CREATE FUNCTION vault.f_unreviewed() RETURNS int LANGUAGE sql SECURITY DEFINER "
    "SET search_path = pg_catalog, pg_temp AS 'SELECT 1'",
]


@pytest.mark.owner
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_mutation_is_caught(seeded, figures, mutation):
    """Applying the mutation makes at least one boundary check report a violation."""
    run("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending deferred FK checks
    run("SAVEPOINT rel_mutation")
    try:
        run(mutation)
        caught = all_violations()
    finally:
        run("ROLLBACK TO SAVEPOINT rel_mutation")
        run("RELEASE SAVEPOINT rel_mutation")
    figures["cases tried"] += 1
    figures["mutations tried"] += 1
    figures["mutations caught"] += bool(caught)
    print(f"\n  {mutation}\n    caught by: {', '.join(caught) or 'NOTHING'}")
    assert caught, f"no boundary check noticed: {mutation}"
    assert all_violations() == {}, "the rollback restored the boundary"
