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
