-- Reverse of 0052_http_urls (fixed rows stay fixed).
ALTER TABLE people.contact
    DROP CONSTRAINT IF EXISTS contact_linkedin_url_http,
    DROP CONSTRAINT IF EXISTS contact_profile_source_url_http,
    DROP CONSTRAINT IF EXISTS contact_twitter_url_http,
    DROP CONSTRAINT IF EXISTS contact_facebook_url_http;
DROP TRIGGER IF EXISTS contact_urls ON people.contact;
DROP FUNCTION IF EXISTS people.trigger_contact_urls();
