-- people.trigger_contact_email_verification (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- AFTER UPDATE OF email ON people.contact: a new address starts from its own results.
CREATE OR REPLACE FUNCTION people.trigger_contact_email_verification()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF lower(NEW.email) IS DISTINCT FROM lower(OLD.email) THEN
        INSERT INTO people.address_verification AS a
            (contact_id, email, email_status, email_checked_at, email_confidence,
             email_source_url, provider)
        SELECT cv.contact_id, cv.email, cv.email_status, cv.email_checked_at, cv.email_confidence,
               cv.email_source_url, cv.provider
        FROM people.contact_verification cv
        WHERE cv.contact_id = OLD.contact_id AND lower(cv.email) = lower(OLD.email)
        ON CONFLICT (contact_id, lower(email)) DO UPDATE
            SET email_status = EXCLUDED.email_status,
                email_checked_at = EXCLUDED.email_checked_at,
                email_confidence = EXCLUDED.email_confidence,
                email_source_url = EXCLUDED.email_source_url,
                provider = EXCLUDED.provider,
                saved_at = now();
        PERFORM people.refresh_contact_verification(NEW.contact_id, NEW.email);
    END IF;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION people.trigger_contact_email_verification() FROM PUBLIC;

COMMENT ON FUNCTION people.trigger_contact_email_verification() IS 'v1';
