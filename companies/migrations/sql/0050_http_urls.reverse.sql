-- Reverse of 0050_http_urls: no URL rules, normalize_domain v1 (fixed rows stay fixed).
ALTER TABLE company.company
    DROP CONSTRAINT IF EXISTS company_website_url_http,
    DROP CONSTRAINT IF EXISTS company_linkedin_url_http,
    DROP CONSTRAINT IF EXISTS company_news_url_http,
    DROP CONSTRAINT IF EXISTS company_facebook_url_http,
    DROP CONSTRAINT IF EXISTS company_twitter_url_http;
DROP TRIGGER IF EXISTS company_urls ON company.company;
DROP FUNCTION IF EXISTS company.trigger_company_urls();
DROP FUNCTION IF EXISTS public.stored_url(text);
DROP FUNCTION IF EXISTS public.url_with_scheme(text);
DROP FUNCTION IF EXISTS public.normalize_http_url(text);
DROP FUNCTION IF EXISTS public.is_http_url(text);
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
