-- 0100_worker_auth_failure_grants: what the app role needs on intake.worker_auth_failure.
--   * The worker API reads the caller's row before it looks at the token (a blocked address gets
--     429 without a token lookup) and counts a wrong token with one INSERT ... ON CONFLICT.
--   * Nothing deletes rows: one row per client address, reset when its window has passed.
-- The intake schema's default privileges give outreach_app SELECT only, hence the grant.
-- Run by the schema owner. Idempotent.

REVOKE TRUNCATE, REFERENCES, TRIGGER ON intake.worker_auth_failure FROM PUBLIC, outreach_app;
GRANT SELECT, INSERT, UPDATE ON intake.worker_auth_failure TO outreach_app;
COMMENT ON TABLE intake.worker_auth_failure IS
    'Wrong worker-API tokens per client address in the current minute (throttling). v1';
