-- Reverse of 0092_worker_authenticate_writer: the function back to the owner (v1, as intake 0091
-- left it) and intake_writer's column rights on worker_token revoked.
ALTER FUNCTION intake.worker_authenticate(text) OWNER TO CURRENT_USER;
COMMENT ON FUNCTION intake.worker_authenticate(text) IS 'v1';
REVOKE SELECT (token_id, name, kind, active, token_hash, rate_limit_per_minute, rate_window_start,
               rate_count)
    ON intake.worker_token FROM intake_writer;
REVOKE UPDATE (rate_count, rate_window_start, last_used_at) ON intake.worker_token FROM intake_writer;
