-- 0085_saved_mapping_grants: what the app role needs on intake.saved_mapping.
--   * The upload page and manage.py ingest read the mapping saved for a source and preset.
--   * intake.services.mapping_save inserts or updates it (one row per source and preset, an
--     intake.audit_log row 'mapping_saved' naming the user); the admin deletes a stale one
--     through intake.services.mapping_delete ('mapping_deleted').
-- Viewers share the app role, so they are refused in the views and the service, not here.
-- The intake schema's default privileges give outreach_app SELECT only, hence the explicit grant;
-- the id is an identity column (no sequence grant needed for INSERT).
-- Run by the schema owner. Idempotent.

REVOKE TRUNCATE, REFERENCES, TRIGGER ON intake.saved_mapping FROM PUBLIC, outreach_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON intake.saved_mapping TO outreach_app;
COMMENT ON TABLE intake.saved_mapping IS
    'Upload column mappings confirmed per source and preset, shared by coordinators. v1';
