-- Reverse of 0002_rls_and_grants: back to the state after intake 0001 (the default privileges of
-- 0001_foundation gave outreach_app SELECT only on intake/vault tables). Roles are kept.
REVOKE ALL ON intake.raw_loads, vault.contacts, intake.audit_log, intake.company_raw_intake
    FROM intake_writer, vault_writer;
REVOKE ALL ON SEQUENCE intake.raw_loads_load_id_seq, intake.audit_log_log_id_seq
    FROM intake_writer, vault_writer;
REVOKE ALL ON company.company, company.company_slot, people.contact,
    people.contact_verification, marketing.pipeline_events FROM intake_writer, vault_writer;
REVOKE INSERT ON intake.audit_log FROM outreach_app;

DROP POLICY IF EXISTS vault_writer_update ON vault.contacts;
DROP POLICY IF EXISTS vault_writer_insert ON vault.contacts;
DROP POLICY IF EXISTS no_direct_delete ON vault.contacts;
DROP POLICY IF EXISTS no_direct_update ON vault.contacts;
DROP POLICY IF EXISTS no_direct_insert ON vault.contacts;
DROP POLICY IF EXISTS allow_select ON vault.contacts;
ALTER TABLE vault.contacts NO FORCE ROW LEVEL SECURITY;
ALTER TABLE vault.contacts DISABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS vault_writer_update ON intake.raw_loads;
DROP POLICY IF EXISTS intake_writer_insert ON intake.raw_loads;
DROP POLICY IF EXISTS no_direct_delete ON intake.raw_loads;
DROP POLICY IF EXISTS no_direct_update ON intake.raw_loads;
DROP POLICY IF EXISTS no_direct_insert ON intake.raw_loads;
DROP POLICY IF EXISTS allow_select ON intake.raw_loads;
ALTER TABLE intake.raw_loads NO FORCE ROW LEVEL SECURITY;
ALTER TABLE intake.raw_loads DISABLE ROW LEVEL SECURITY;
