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

-- What a URL column stores: for the intake pipeline (the promote functions run as their owners
-- vault_writer / intake_writer) normalize_http_url, so a junk vendor value becomes NULL instead
-- of failing the whole promotion; for everyone else (app, psql) url_with_scheme, so a junk
-- value reaches the CHECK and is refused loudly.
CREATE OR REPLACE FUNCTION public.stored_url(p_value text)
RETURNS text
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN current_user IN ('vault_writer', 'intake_writer')
                THEN public.normalize_http_url(p_value)
                ELSE public.url_with_scheme(p_value) END
$$;
COMMENT ON FUNCTION public.stored_url(text) IS 'v1';

-- Scheme-less host URLs get https:// (lossless); everything else is left to the CHECKs
-- (the intake pipeline's junk becomes NULL, see public.stored_url).
CREATE OR REPLACE FUNCTION company.trigger_company_urls()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.website_url := public.stored_url(NEW.website_url);
    NEW.linkedin_url := public.stored_url(NEW.linkedin_url);
    NEW.news_url := public.stored_url(NEW.news_url);
    NEW.facebook_url := public.stored_url(NEW.facebook_url);
    NEW.twitter_url := public.stored_url(NEW.twitter_url);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION company.trigger_company_urls() IS 'v1';

DROP TRIGGER IF EXISTS company_urls ON company.company;
CREATE TRIGGER company_urls
    BEFORE INSERT OR UPDATE OF website_url, linkedin_url, news_url, facebook_url, twitter_url
    ON company.company FOR EACH ROW EXECUTE FUNCTION company.trigger_company_urls();

ALTER TABLE company.company
    ADD CONSTRAINT company_website_url_http CHECK (public.is_http_url(website_url)) NOT VALID,
    ADD CONSTRAINT company_linkedin_url_http CHECK (public.is_http_url(linkedin_url)) NOT VALID,
    ADD CONSTRAINT company_news_url_http CHECK (public.is_http_url(news_url)) NOT VALID,
    ADD CONSTRAINT company_facebook_url_http CHECK (public.is_http_url(facebook_url)) NOT VALID,
    ADD CONSTRAINT company_twitter_url_http CHECK (public.is_http_url(twitter_url)) NOT VALID;

UPDATE company.company
SET website_url = public.normalize_http_url(website_url),
    linkedin_url = public.normalize_http_url(linkedin_url),
    news_url = public.normalize_http_url(news_url),
    facebook_url = public.normalize_http_url(facebook_url),
    twitter_url = public.normalize_http_url(twitter_url)
WHERE NOT (public.is_http_url(website_url) AND public.is_http_url(linkedin_url)
           AND public.is_http_url(news_url) AND public.is_http_url(facebook_url)
           AND public.is_http_url(twitter_url));

UPDATE company.company SET domain = NULL
WHERE domain IS NOT NULL AND public.normalize_domain(domain) IS NULL;

ALTER TABLE company.company VALIDATE CONSTRAINT company_website_url_http;
ALTER TABLE company.company VALIDATE CONSTRAINT company_linkedin_url_http;
ALTER TABLE company.company VALIDATE CONSTRAINT company_news_url_http;
ALTER TABLE company.company VALIDATE CONSTRAINT company_facebook_url_http;
ALTER TABLE company.company VALIDATE CONSTRAINT company_twitter_url_http;
