-- 0091_worker_token_hash_private (issue 19): the runtime role read every worker's token hash
-- (intake.worker_token.token_hash) and could overwrite one with a hash of a token it knows. It
-- keeps INSERT (creating a token stores its hash) and DELETE, SELECT and UPDATE of every other
-- column; the API checks a token through intake.worker_authenticate (SECURITY DEFINER). Revoking
-- the table-wide SELECT/UPDATE also revokes any column grant, so the grants below are the whole
-- column list.
REVOKE SELECT, UPDATE ON intake.worker_token FROM outreach_app;
GRANT SELECT (token_id, name, kind, active, rate_limit_per_minute, rate_window_start, rate_count,
              created_at, last_used_at)
    ON intake.worker_token TO outreach_app;
GRANT UPDATE (name, kind, active, rate_limit_per_minute, rate_window_start, rate_count,
              last_used_at)
    ON intake.worker_token TO outreach_app;

-- intake.worker_authenticate
CREATE OR REPLACE FUNCTION intake.worker_authenticate(p_token_hash text)
RETURNS TABLE (token_id bigint, name text, kind text, over_limit boolean, retry_after integer)
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE intake.worker_token t
    SET rate_count = CASE WHEN t.rate_window_start = pg_catalog.date_trunc('minute', pg_catalog.now())
                          THEN t.rate_count + 1 ELSE 1 END,
        rate_window_start = pg_catalog.date_trunc('minute', pg_catalog.now()),
        last_used_at = pg_catalog.now()
    WHERE t.token_hash = p_token_hash AND t.active
    RETURNING t.token_id, t.name, t.kind, t.rate_count > t.rate_limit_per_minute,
              pg_catalog.ceil(EXTRACT(epoch FROM pg_catalog.date_trunc('minute', pg_catalog.now())
                                                 + interval '1 minute'
                                                 - pg_catalog.clock_timestamp()))::integer
$$;

REVOKE EXECUTE ON FUNCTION intake.worker_authenticate(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake.worker_authenticate(text) TO outreach_app;

COMMENT ON FUNCTION intake.worker_authenticate(text) IS 'v1';

