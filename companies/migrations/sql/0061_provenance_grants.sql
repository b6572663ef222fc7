-- 0061_provenance_grants: what vault.f_promote_contacts v3 (intake 0061) needs in company.
--   * company.field_provenance (model CompanyFieldProvenance): written only by the promotion
--     (vault_writer), read by the app for the company page's provenance panel. Append-only.
--   * vault_writer may UPDATE company.company (fields carried under the survivorship rule of
--     docs/SURVIVORSHIP.md) and read company.history (coordinators' edits are never overwritten).
-- Run by the schema owner. Idempotent.
-- A company's provenance goes with the company (ON DELETE CASCADE in the database, too).
SELECT public.redefine_fk('company.field_provenance', 'company_id', 'CASCADE');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON company.field_provenance FROM outreach_app;
GRANT SELECT ON company.field_provenance TO outreach_app;
GRANT SELECT, INSERT ON company.field_provenance TO vault_writer;
GRANT USAGE ON SEQUENCE company.field_provenance_provenance_id_seq TO vault_writer;
GRANT UPDATE ON company.company TO vault_writer;
GRANT SELECT ON company.history TO vault_writer;
