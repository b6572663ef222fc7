-- public.normalize_http_url (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION public.normalize_http_url(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN v IS NULL OR v = '' THEN NULL
        WHEN v ~* '^https?://' THEN CASE WHEN public.is_http_url(v) THEN v END
        WHEN v ~* '^[a-z][a-z0-9+.-]*:' AND v !~* '^[^/:]+\.[a-z]+:[0-9]+([/?#]|$)' THEN NULL
        WHEN public.normalize_domain(v) IS NOT NULL
             AND public.is_http_url('https://' || regexp_replace(v, '^//', ''))
            THEN 'https://' || regexp_replace(v, '^//', '')
    END
    FROM (SELECT btrim(p_value) AS v) AS t
$$;

COMMENT ON FUNCTION public.normalize_http_url(text) IS 'v1';
