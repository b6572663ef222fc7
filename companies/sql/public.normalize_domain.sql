-- public.normalize_domain (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0050_http_urls: domains and URLs that are never junk.
--   * public.normalize_domain v2: the lower-case host of an http(s) URL or a bare host, without
--     www., port, path or trailing dot, or NULL for anything that is not a public-looking host:
--     blanks and words ("N/A", "-", "none"), non-http(s) schemes ("mailto:…", "javascript:…",
--     "ftp://…"), single-label hosts ("http://intranet/", "localhost"), IP addresses, hosts with
--     user info. Callers: company.trigger_company_domain (company.domain from website_url),
--     intake promotion (company key by website / e-mail domain), intake.raw_load_fields.
--   * public.is_http_url(text): NULL or an absolute http(s) URL with a host (no spaces or
--     control characters); the CHECK of every stored URL column.
--   * public.normalize_http_url(text): what a writer should store: an http(s) URL as given, a
--     scheme-less host URL ("www.acme.com/x", "linkedin.com/in/x") with https://, else NULL.
--   * company.company website_url, linkedin_url, news_url, facebook_url, twitter_url: a BEFORE
--     trigger adds https:// to scheme-less host URLs (lossless); CHECK constraints refuse any
--     other non-http(s) value, except that inside the intake promote functions (run as
--     vault_writer / intake_writer) junk becomes NULL so one bad vendor value cannot block
--     every later promotion (public.stored_url). Added NOT VALID, existing rows fixed (normalize_http_url, junk
--     becomes NULL, recorded in company.history), then VALIDATEd; demo data already passes.
--   * company domains that v2 rejects are cleared (they merged unrelated companies).
-- Who may call: anyone (IMMUTABLE helpers); no SECURITY DEFINER.
-- Run by the schema owner.

CREATE OR REPLACE FUNCTION public.normalize_domain(p_value text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := lower(btrim(p_value));
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    IF v ~ '^[a-z][a-z0-9+.-]*://' THEN
        IF v !~ '^https?://' THEN
            RETURN NULL;  -- ftp://, file://, … : not a website
        END IF;
        v := regexp_replace(v, '^https?://', '');
    ELSIF v ~ '^(mailto|javascript|vbscript|data|tel|sms|file|about|blob):' THEN
        RETURN NULL;
    ELSE
        v := regexp_replace(v, '^//', '');
    END IF;
    v := regexp_replace(v, '[/?#\\].*$', '');
    IF strpos(v, '@') > 0 THEN
        RETURN NULL;  -- user info or an e-mail address, not a host
    END IF;
    v := regexp_replace(v, ':[0-9]*$', '');
    v := regexp_replace(regexp_replace(v, '^www\.', ''), '\.$', '');
    IF length(v) > 253
       OR v !~ '^([[:alnum:]]([[:alnum:]-]*[[:alnum:]])?\.)+[[:alpha:]]([[:alnum:]-]*[[:alnum:]])?$'
    THEN
        RETURN NULL;  -- single label, IP address, empty label or other junk
    END IF;
    RETURN v;
END
$$;

COMMENT ON FUNCTION public.normalize_domain(text) IS 'v2';
