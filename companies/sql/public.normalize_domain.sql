-- public.normalize_domain (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Lower-case host of a URL or domain, without scheme, www., port or path.
CREATE OR REPLACE FUNCTION public.normalize_domain(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT nullif(
        regexp_replace(
            regexp_replace(lower(btrim(p_value)), '^[a-z][a-z0-9+.-]*://', ''),
            '^www\.|[/:?#].*$', '', 'g'),
        '')
$$;

COMMENT ON FUNCTION public.normalize_domain(text) IS 'v1';
