-- Reverse of 0050_verification_follows_address: the v1 result trigger, no address rules.
DROP TRIGGER IF EXISTS email_verification_address ON people.email_verification;
DROP TRIGGER IF EXISTS contact_verification_address ON people.contact_verification;
DROP TRIGGER IF EXISTS contact_email_verification ON people.contact;
DROP FUNCTION IF EXISTS people.trigger_email_verification_address();
DROP FUNCTION IF EXISTS people.trigger_contact_verification_address();
DROP FUNCTION IF EXISTS people.trigger_contact_email_verification();
DROP FUNCTION IF EXISTS people.refresh_contact_verification(bigint, text);
DROP INDEX IF EXISTS people.email_verif_contact_address_idx;
DROP FUNCTION IF EXISTS people.address_status(bigint, text);
DROP TABLE IF EXISTS people.address_verification;

CREATE OR REPLACE FUNCTION people.trigger_email_verification_current()
RETURNS trigger
LANGUAGE plpgsql
SECURITY INVOKER
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
COMMENT ON FUNCTION people.trigger_email_verification_current() IS NULL;
DROP TRIGGER IF EXISTS email_verification_current ON people.email_verification;
CREATE TRIGGER email_verification_current AFTER INSERT ON people.email_verification
    FOR EACH ROW EXECUTE FUNCTION people.trigger_email_verification_current();

ALTER TABLE people.contact_verification DROP COLUMN IF EXISTS email;
