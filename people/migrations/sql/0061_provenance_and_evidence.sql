-- 0061_provenance_and_evidence: what vault.f_promote_contacts v3 (intake 0061) needs in people.
--   * people.field_provenance (model PersonFieldProvenance): written only by the promotion
--     (vault_writer); the app reads it for the record page's provenance panel. Append-only.
--   * Vendor e-mail status is evidence, not verification (issue 16): the promotion records a
--     file's email_status as a people.email_verification row (provider = the load's source,
--     result.vendor_evidence = true) with the transaction-local setting
--     outreach.vendor_evidence = 'on' around that one statement. The BEFORE trigger
--     contact_verification_vendor_guard then drops the current-status write that
--     people.trigger_email_verification_current would make, so a vendor file never moves
--     people.contact_verification (never green, never a downgrade of a real check) — unless the
--     provider is named in the database setting outreach.trusted_email_providers (comma list,
--     e.g. ALTER DATABASE … SET outreach.trusted_email_providers = 'zerobounce'; default unset,
--     i.e. no vendor trusted). public.database_setting reads the setting from the catalog
--     (ALTER DATABASE … SET), not from the session, so a caller's own SET cannot trust a vendor.
--   * vault_writer may now UPDATE people.contact (promotion carries fields onto existing people
--     under the survivorship rule), read people.history (to see coordinators' edits) and insert
--     evidence rows.
-- Run by the schema owner. Idempotent.

-- A person's provenance goes with the person (ON DELETE CASCADE in the database, too).
SELECT public.redefine_fk('people.field_provenance', 'contact_id', 'CASCADE');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON people.field_provenance FROM outreach_app;
GRANT SELECT ON people.field_provenance TO outreach_app;
GRANT SELECT, INSERT ON people.field_provenance TO vault_writer;
GRANT USAGE ON SEQUENCE people.field_provenance_provenance_id_seq TO vault_writer;
GRANT UPDATE ON people.contact TO vault_writer;
GRANT SELECT ON people.history TO vault_writer;
GRANT SELECT, INSERT ON people.email_verification TO vault_writer;
-- The current-status trigger of an evidence row upserts contact_verification (the guard drops it).
GRANT UPDATE ON people.contact_verification TO vault_writer;
GRANT USAGE ON SEQUENCE people.email_verification_verification_id_seq TO vault_writer;

CREATE OR REPLACE FUNCTION public.database_setting(p_name text)
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT substr(c.cfg, length(p_name) + 2)
    FROM pg_db_role_setting s
    CROSS JOIN LATERAL unnest(s.setconfig) AS c(cfg)
    WHERE s.setrole = 0
      AND s.setdatabase = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
      AND c.cfg LIKE p_name || '=%'
    LIMIT 1
$$;
COMMENT ON FUNCTION public.database_setting(text) IS 'v1';
GRANT EXECUTE ON FUNCTION public.database_setting(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION people.trigger_vendor_evidence_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF coalesce(current_setting('outreach.vendor_evidence', true), '') = 'on'
       AND NOT coalesce(NEW.provider = ANY (string_to_array(
               replace(coalesce(public.database_setting('outreach.trusted_email_providers'), ''),
                       ' ', ''), ',')), false) THEN
        RETURN NULL;  -- evidence only: the current status stays as it was
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION people.trigger_vendor_evidence_guard() IS 'v1';
REVOKE EXECUTE ON FUNCTION people.trigger_vendor_evidence_guard() FROM PUBLIC;

DROP TRIGGER IF EXISTS contact_verification_vendor_guard ON people.contact_verification;
CREATE TRIGGER contact_verification_vendor_guard
    BEFORE INSERT OR UPDATE ON people.contact_verification
    FOR EACH ROW EXECUTE FUNCTION people.trigger_vendor_evidence_guard();
