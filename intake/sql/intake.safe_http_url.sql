-- intake.safe_http_url (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- The SQL fallback for a raw URL that came without "_norm" (intake.raw_load_fields): the one
-- rule of public.normalize_http_url (companies 0050) — http(s) with a dotted host kept, a bare
-- host that names a real domain ("www.zed.example") gets https://, junk ("N/A", "mailto:…",
-- "javascript:…") gives NULL, and so does a URL whose host names no domain ("http://intranet/",
-- an IP: public.normalize_domain v2). v1 had its own regex and dropped bare hosts.
-- Who may call: anyone (IMMUTABLE helper); no SECURITY DEFINER.
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
