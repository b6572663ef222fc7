-- 0110_upload_job_grants: what the app role needs on intake.upload_job.
--   * The upload page queues a large file as a job (intake.services.upload_job_create); the job
--     page, its JSON status and the job list read it; a coordinator cancels a queued job.
--   * manage.py process_uploads (the worker, acting for the job's creator as the app role)
--     claims it with SELECT ... FOR UPDATE SKIP LOCKED and updates its progress per chunk.
--   * Nothing deletes jobs: they are the record of what each background upload stored.
-- Every state change writes an intake.audit_log row naming the user (in the service).
-- Viewers share the app role, so they are refused in the views and the service, not here.
-- The intake schema's default privileges give outreach_app SELECT only, hence the explicit grant;
-- the id is an identity column (no sequence grant needed for INSERT).
-- Run by the schema owner. Idempotent.

REVOKE TRUNCATE, REFERENCES, TRIGGER, DELETE ON intake.upload_job FROM PUBLIC, outreach_app;
GRANT SELECT, INSERT, UPDATE ON intake.upload_job TO outreach_app;
COMMENT ON TABLE intake.upload_job IS
    'Large uploads ingested in the background by manage.py process_uploads, with progress. v1';
