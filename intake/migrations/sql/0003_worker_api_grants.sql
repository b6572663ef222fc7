-- 0003_worker_api_grants: what the app role needs on the worker API tables.
--   * intake.worker_token: tokens are created and deactivated in the admin and their rate counters
--     and last_used_at are updated on every API call (full DML; rows hold only SHA-256 hashes).
--   * intake.work_item_lease: claims insert or take over expired leases; posting a result
--     deletes the lease.
-- The intake schema's default privileges give outreach_app SELECT only, hence the explicit grants.
-- Run by the schema owner. Idempotent.

GRANT SELECT, INSERT, UPDATE, DELETE ON intake.worker_token, intake.work_item_lease TO outreach_app;
GRANT USAGE, SELECT ON SEQUENCE intake.worker_token_token_id_seq, intake.work_item_lease_lease_id_seq
    TO outreach_app;
COMMENT ON TABLE intake.worker_token IS 'API credentials of external workers (SHA-256 only). v1';
COMMENT ON TABLE intake.work_item_lease IS 'Freshness-queue items leased to workers. v1';
