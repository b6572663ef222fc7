-- 0008_version_stamps: version stamps for the people objects created before the stamping rule
-- (issue 15). Each definition below is its live file verbatim (<app>/sql/<object>.sql), so
-- the only catalog change is the COMMENT ... IS 'vN' stamp, N counting the object's
-- snapshots in the migrations so far. Run by the schema owner; nothing here is SECURITY DEFINER
-- beyond what the definitions already were.


-- people.due_email_recheck_30d (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW people.due_email_recheck_30d AS
SELECT p.contact_id,
       p.full_name,
       p.email,
       coalesce(v.email_status, 'gray') AS email_status,
       v.email_checked_at AS last_checked_at
FROM people.contact p
LEFT JOIN people.contact_verification v ON v.contact_id = p.contact_id
WHERE p.email IS NOT NULL
  AND p.status NOT IN ('merged', 'unsubscribed', 'inactive')
  AND (v.email_checked_at IS NULL OR v.email_checked_at < now() - interval '30 days');

COMMENT ON VIEW people.due_email_recheck_30d IS 'v1';


-- people.next_profile_urls_30d (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW people.next_profile_urls_30d AS
SELECT p.contact_id,
       coalesce(nullif(btrim(p.profile_source_url), ''), p.linkedin_url) AS url,
       p.last_profile_checked_at AS last_checked_at
FROM people.contact p
WHERE p.status NOT IN ('merged', 'inactive')
  AND coalesce(nullif(btrim(p.profile_source_url), ''), nullif(btrim(p.linkedin_url), ''))
      IS NOT NULL
  AND (p.last_profile_checked_at IS NULL OR p.last_profile_checked_at < now() - interval '30 days');

COMMENT ON VIEW people.next_profile_urls_30d IS 'v1';


-- people.trigger_contact_normalize (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION people.trigger_contact_normalize()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_parts text[];
BEGIN
    NEW.full_name := btrim(regexp_replace(NEW.full_name, '\s+', ' ', 'g'));
    NEW.email := nullif(btrim(NEW.email), '');
    IF NEW.first_name IS NULL AND NEW.last_name IS NULL AND NEW.full_name <> '' THEN
        v_parts := regexp_split_to_array(NEW.full_name, ' ');
        NEW.first_name := v_parts[1];
        IF cardinality(v_parts) > 1 THEN
            NEW.last_name := v_parts[cardinality(v_parts)];
        END IF;
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION people.trigger_contact_normalize() IS 'v1';


-- people.trigger_email_verification_current (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION people.trigger_email_verification_current()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO people.contact_verification AS cv
        (contact_id, email_status, email_checked_at, email_confidence, email_source_url, provider)
    VALUES (NEW.contact_id, NEW.email_status, NEW.verified_at, NEW.confidence, NEW.source_url,
            NEW.provider)
    ON CONFLICT (contact_id) DO UPDATE
        SET email_status = EXCLUDED.email_status,
            email_checked_at = EXCLUDED.email_checked_at,
            email_confidence = EXCLUDED.email_confidence,
            email_source_url = EXCLUDED.email_source_url,
            provider = EXCLUDED.provider
        WHERE cv.email_checked_at IS NULL OR cv.email_checked_at <= EXCLUDED.email_checked_at;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION people.trigger_email_verification_current() IS 'v1';
