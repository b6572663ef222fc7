-- public.url_with_scheme (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- p_value itself unless it is a scheme-less host URL, which gets https://; blank -> NULL.
CREATE OR REPLACE FUNCTION public.url_with_scheme(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN nullif(btrim(p_value), '') IS NULL THEN NULL
        WHEN btrim(p_value) ~* '^https?://' THEN btrim(p_value)
        ELSE coalesce(public.normalize_http_url(p_value), p_value)
    END
$$;

COMMENT ON FUNCTION public.url_with_scheme(text) IS 'v1';
