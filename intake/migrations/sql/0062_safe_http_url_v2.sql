-- 0062_safe_http_url_v2: intake.safe_http_url uses the project's one URL rule
-- (public.normalize_http_url) instead of a second regex; see the live file.

CREATE OR REPLACE FUNCTION intake.safe_http_url(p_raw text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u FROM (SELECT public.normalize_http_url(p_raw) AS u) AS t
    WHERE public.normalize_domain(u) IS NOT NULL
$$;

COMMENT ON FUNCTION intake.safe_http_url(text) IS 'v2';
