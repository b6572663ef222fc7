-- public.is_http_url (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION public.is_http_url(p_value text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p_value IS NULL
        OR p_value ~* '^https?://[^[:space:][:cntrl:]/?#@\\]+([/?#][^[:space:][:cntrl:]]*)?$'
$$;

COMMENT ON FUNCTION public.is_http_url(text) IS 'v1';
