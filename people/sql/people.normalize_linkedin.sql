-- people.normalize_linkedin (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION people.normalize_linkedin(p_url text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := lower(btrim(p_url));
    v_slug text[];
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    v := regexp_replace(v, '^[a-z]+://', '');
    v := regexp_replace(v, '[?#].*$', '');
    v := regexp_replace(v, '^([a-z]{2,3}\.|www\.)+', '');
    -- /in/<slug> and /pub/<slug>; anything after the slug (/en, /de, /detail/…) is a locale or
    -- a sub-page of the same profile.
    v_slug := regexp_match(v, '^linkedin\.com/(in|pub)/([^/]+)');
    IF v_slug IS NOT NULL THEN
        RETURN 'linkedin.com/in/' || v_slug[2];
    END IF;
    RETURN regexp_replace(v, '/+$', '');
END
$$;

COMMENT ON FUNCTION people.normalize_linkedin(text) IS 'v1';
