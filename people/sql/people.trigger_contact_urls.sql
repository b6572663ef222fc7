-- people.trigger_contact_urls (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0052_http_urls: people.contact linkedin_url, profile_source_url, twitter_url, facebook_url are
-- stored only as http(s) URLs with a scheme (public.is_http_url, companies 0050). A BEFORE
-- trigger adds https:// to scheme-less host URLs ("linkedin.com/in/jane"), lossless; CHECKs
-- refuse anything else ("javascript:…", "N/A"); inside the intake promote functions junk becomes
-- NULL instead (public.stored_url, companies 0050). Added NOT VALID, existing rows fixed with
-- public.normalize_http_url (junk becomes NULL, recorded in people.history), then VALIDATEd.
-- Who may call: trigger function, fired for every writer; no SECURITY DEFINER (it changes only NEW).
-- Run by the schema owner.

CREATE OR REPLACE FUNCTION people.trigger_contact_urls()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.linkedin_url := public.stored_url(NEW.linkedin_url);
    NEW.profile_source_url := public.stored_url(NEW.profile_source_url);
    NEW.twitter_url := public.stored_url(NEW.twitter_url);
    NEW.facebook_url := public.stored_url(NEW.facebook_url);
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION people.trigger_contact_urls() IS 'v1';
