-- company.trigger_company_urls (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
