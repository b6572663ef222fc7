-- 0092_worker_authenticate_writer (issue 19): intake.worker_authenticate v2, owned by
-- intake_writer like every intake SECURITY DEFINER function (v1, intake 0091, was owned by the
-- schema owner, a superuser in the embedded server: tests/db/test_rls.py pins definer functions
-- to the writer roles). intake_writer gets exactly the worker_token columns the function reads
-- and the three it counts in. Run by the schema owner.

GRANT SELECT (token_id, name, kind, active, token_hash, rate_limit_per_minute, rate_window_start,
              rate_count)
    ON intake.worker_token TO intake_writer;
GRANT UPDATE (rate_count, rate_window_start, last_used_at) ON intake.worker_token TO intake_writer;

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

COMMENT ON FUNCTION intake.worker_authenticate(text) IS 'v2';

-- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION intake.worker_authenticate(text) OWNER TO intake_writer;
