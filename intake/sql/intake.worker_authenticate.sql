-- intake.worker_authenticate (function, v2): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- intake 0091 (issue 19): the worker API's token check, so the runtime role needs no right on
-- intake.worker_token.token_hash (it may neither read nor change it; intake 0091 grants the
-- other columns). Finds the active token by its SHA-256 (hex, computed by the app:
-- intake.services.workers.hash_token) and counts this call in its fixed one-minute window in the
-- same UPDATE, so concurrent calls cannot under-count; returns the worker, whether it is over
-- its limit and the seconds to the next window, or no row for an unknown or inactive token.
-- Who may call: the runtime role (intake.services.worker_authenticate). SECURITY DEFINER, owned
-- by intake_writer like every intake definer function (v1 was the schema owner's: a superuser
-- in the embedded server); intake 0092 grants intake_writer the columns it reads and counts in.
-- search_path pinned, names schema-qualified.
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
