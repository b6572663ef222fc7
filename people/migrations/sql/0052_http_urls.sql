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

DROP TRIGGER IF EXISTS contact_urls ON people.contact;
CREATE TRIGGER contact_urls
    BEFORE INSERT OR UPDATE OF linkedin_url, profile_source_url, twitter_url, facebook_url
    ON people.contact FOR EACH ROW EXECUTE FUNCTION people.trigger_contact_urls();

ALTER TABLE people.contact
    ADD CONSTRAINT contact_linkedin_url_http CHECK (public.is_http_url(linkedin_url)) NOT VALID,
    ADD CONSTRAINT contact_profile_source_url_http
        CHECK (public.is_http_url(profile_source_url)) NOT VALID,
    ADD CONSTRAINT contact_twitter_url_http CHECK (public.is_http_url(twitter_url)) NOT VALID,
    ADD CONSTRAINT contact_facebook_url_http CHECK (public.is_http_url(facebook_url)) NOT VALID;

UPDATE people.contact
SET linkedin_url = public.normalize_http_url(linkedin_url),
    profile_source_url = public.normalize_http_url(profile_source_url),
    twitter_url = public.normalize_http_url(twitter_url),
    facebook_url = public.normalize_http_url(facebook_url)
WHERE NOT (public.is_http_url(linkedin_url) AND public.is_http_url(profile_source_url)
           AND public.is_http_url(twitter_url) AND public.is_http_url(facebook_url));

ALTER TABLE people.contact VALIDATE CONSTRAINT contact_linkedin_url_http;
ALTER TABLE people.contact VALIDATE CONSTRAINT contact_profile_source_url_http;
ALTER TABLE people.contact VALIDATE CONSTRAINT contact_twitter_url_http;
ALTER TABLE people.contact VALIDATE CONSTRAINT contact_facebook_url_http;
