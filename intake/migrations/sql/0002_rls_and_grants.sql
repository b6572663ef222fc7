-- 0002_rls_and_grants: row level security and grants on the intake/vault tables.
--
-- intake.raw_loads and vault.contacts are written only by the SECURITY DEFINER functions of this
-- migration (f_ingest_json, f_promote_contacts, f_relink_people_contact). Those functions are
-- owned by the NOLOGIN writer roles intake_writer / vault_writer, so inside them current_user is
-- the writer role. Facts this file is shaped by (PostgreSQL 15+, pinned by tests/db/test_rls.py):
--   * FORCE makes the table owner obey the policies too; superusers still bypass RLS.
--   * Permissive "deny" policies are OR-ed away by any permissive policy: the no_direct_* policies
--     are RESTRICTIVE and check current_user by name (not pg_has_role: a login that is a member of
--     a writer role must still be refused outside the functions).
--   * A write refused by RLS on UPDATE/DELETE affects 0 rows without an error, so the DML grants
--     are revoked as well and a direct write fails loudly with 42501.
--   * TRUNCATE ignores RLS: no login role holds TRUNCATE, REFERENCES or TRIGGER here.
-- intake.audit_log is append-only for the app role (SELECT, INSERT).
-- Run by the schema owner. Idempotent.

-- intake.raw_loads ---------------------------------------------------------------------------
ALTER TABLE intake.raw_loads ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake.raw_loads FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS allow_select ON intake.raw_loads;
CREATE POLICY allow_select ON intake.raw_loads AS PERMISSIVE FOR SELECT TO PUBLIC USING (true);

-- Only f_ingest_json (owned by intake_writer) inserts; only f_promote_contacts (vault_writer)
-- changes a load's status; nobody deletes.
DROP POLICY IF EXISTS no_direct_insert ON intake.raw_loads;
CREATE POLICY no_direct_insert ON intake.raw_loads AS RESTRICTIVE FOR INSERT TO PUBLIC
    WITH CHECK (current_user = 'intake_writer');
DROP POLICY IF EXISTS no_direct_update ON intake.raw_loads;
CREATE POLICY no_direct_update ON intake.raw_loads AS RESTRICTIVE FOR UPDATE TO PUBLIC
    USING (current_user = 'vault_writer') WITH CHECK (current_user = 'vault_writer');
DROP POLICY IF EXISTS no_direct_delete ON intake.raw_loads;
CREATE POLICY no_direct_delete ON intake.raw_loads AS RESTRICTIVE FOR DELETE TO PUBLIC
    USING (false);

DROP POLICY IF EXISTS intake_writer_insert ON intake.raw_loads;
CREATE POLICY intake_writer_insert ON intake.raw_loads AS PERMISSIVE FOR INSERT TO intake_writer
    WITH CHECK (true);
DROP POLICY IF EXISTS vault_writer_update ON intake.raw_loads;
CREATE POLICY vault_writer_update ON intake.raw_loads AS PERMISSIVE FOR UPDATE TO vault_writer
    USING (true) WITH CHECK (true);

COMMENT ON POLICY allow_select ON intake.raw_loads IS 'v1';
COMMENT ON POLICY no_direct_insert ON intake.raw_loads IS 'v1';
COMMENT ON POLICY no_direct_update ON intake.raw_loads IS 'v1';
COMMENT ON POLICY no_direct_delete ON intake.raw_loads IS 'v1';
COMMENT ON POLICY intake_writer_insert ON intake.raw_loads IS 'v1';
COMMENT ON POLICY vault_writer_update ON intake.raw_loads IS 'v1';

-- vault.contacts -----------------------------------------------------------------------------
ALTER TABLE vault.contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE vault.contacts FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS allow_select ON vault.contacts;
CREATE POLICY allow_select ON vault.contacts AS PERMISSIVE FOR SELECT TO PUBLIC USING (true);

-- The promotion upsert (INSERT ... ON CONFLICT DO UPDATE) needs INSERT, UPDATE and SELECT.
DROP POLICY IF EXISTS no_direct_insert ON vault.contacts;
CREATE POLICY no_direct_insert ON vault.contacts AS RESTRICTIVE FOR INSERT TO PUBLIC
    WITH CHECK (current_user = 'vault_writer');
DROP POLICY IF EXISTS no_direct_update ON vault.contacts;
CREATE POLICY no_direct_update ON vault.contacts AS RESTRICTIVE FOR UPDATE TO PUBLIC
    USING (current_user = 'vault_writer') WITH CHECK (current_user = 'vault_writer');
DROP POLICY IF EXISTS no_direct_delete ON vault.contacts;
CREATE POLICY no_direct_delete ON vault.contacts AS RESTRICTIVE FOR DELETE TO PUBLIC
    USING (false);

DROP POLICY IF EXISTS vault_writer_insert ON vault.contacts;
CREATE POLICY vault_writer_insert ON vault.contacts AS PERMISSIVE FOR INSERT TO vault_writer
    WITH CHECK (true);
DROP POLICY IF EXISTS vault_writer_update ON vault.contacts;
CREATE POLICY vault_writer_update ON vault.contacts AS PERMISSIVE FOR UPDATE TO vault_writer
    USING (true) WITH CHECK (true);

COMMENT ON POLICY allow_select ON vault.contacts IS 'v1';
COMMENT ON POLICY no_direct_insert ON vault.contacts IS 'v1';
COMMENT ON POLICY no_direct_update ON vault.contacts IS 'v1';
COMMENT ON POLICY no_direct_delete ON vault.contacts IS 'v1';
COMMENT ON POLICY vault_writer_insert ON vault.contacts IS 'v1';
COMMENT ON POLICY vault_writer_update ON vault.contacts IS 'v1';

-- Grants: nobody a user or the app logs in as may write the protected tables directly. ------
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON intake.raw_loads, vault.contacts
    FROM PUBLIC, outreach_app, mcp_ingest, mcp_promote, intake_writer, vault_writer;
GRANT SELECT ON intake.raw_loads, vault.contacts TO outreach_app;

-- intake.audit_log: append-only for the app role.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON intake.audit_log
    FROM PUBLIC, outreach_app, mcp_ingest, mcp_promote, intake_writer, vault_writer;
GRANT SELECT, INSERT ON intake.audit_log TO outreach_app;

-- Writer roles: exactly what their functions write. Identity columns need no sequence grant for
-- INSERT; the sequences listed are the ones the functions call nextval() on explicitly (ids
-- allocated before the insert so rows can refer to each other in one statement).
GRANT SELECT, INSERT ON intake.raw_loads TO intake_writer;
GRANT USAGE ON SEQUENCE intake.raw_loads_load_id_seq TO intake_writer;
GRANT INSERT ON intake.audit_log TO intake_writer, vault_writer;
GRANT USAGE ON SEQUENCE intake.audit_log_log_id_seq TO intake_writer, vault_writer;
GRANT SELECT, UPDATE ON intake.company_raw_intake TO intake_writer;

GRANT SELECT, UPDATE ON intake.raw_loads TO vault_writer;
GRANT SELECT, INSERT, UPDATE ON vault.contacts TO vault_writer;

-- Golden records written by promotion (history rows come from SECURITY DEFINER triggers).
GRANT SELECT, INSERT ON company.company TO intake_writer, vault_writer;
GRANT SELECT, INSERT ON company.company_slot TO intake_writer;
GRANT SELECT, INSERT, UPDATE ON company.company_slot TO vault_writer;
GRANT SELECT, INSERT ON people.contact TO vault_writer;
GRANT SELECT, INSERT ON people.contact_verification TO vault_writer;
GRANT INSERT ON marketing.pipeline_events TO intake_writer, vault_writer;
GRANT USAGE ON SEQUENCE public.barton_id_seq TO intake_writer, vault_writer;
