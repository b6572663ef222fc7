-- intake.safe_http_url (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION intake.safe_http_url(p_raw text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN btrim(p_raw) ~* '^https?://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?(:[0-9]+)?([/?#][^[:space:]]*)?$'
                THEN btrim(p_raw) END
$$;

COMMENT ON FUNCTION intake.safe_http_url(text) IS 'v1';
