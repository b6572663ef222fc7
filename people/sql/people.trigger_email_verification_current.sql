-- people.trigger_email_verification_current (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- v2 of the result → current-status trigger: the status carries its address; a newer result,
-- or any result when the stored status is about another address, replaces it. Re-pointed
-- results (UPDATE OF contact_id) refresh the receiving person.
CREATE OR REPLACE FUNCTION people.trigger_email_verification_current()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.contact_id IS DISTINCT FROM OLD.contact_id AND EXISTS (
            SELECT 1 FROM people.contact p
            WHERE p.contact_id = NEW.contact_id AND lower(p.email) = lower(NEW.email)) THEN
            PERFORM people.refresh_contact_verification(
                NEW.contact_id, (SELECT p.email FROM people.contact p
                                 WHERE p.contact_id = NEW.contact_id));
        END IF;
        RETURN NULL;
    END IF;
    INSERT INTO people.contact_verification AS cv
        (contact_id, email, email_status, email_checked_at, email_confidence, email_source_url,
         provider)
    VALUES (NEW.contact_id, NEW.email, NEW.email_status, NEW.verified_at, NEW.confidence,
            NEW.source_url, NEW.provider)
    ON CONFLICT (contact_id) DO UPDATE
        SET email = EXCLUDED.email,
            email_status = EXCLUDED.email_status,
            email_checked_at = EXCLUDED.email_checked_at,
            email_confidence = EXCLUDED.email_confidence,
            email_source_url = EXCLUDED.email_source_url,
            provider = EXCLUDED.provider
        WHERE cv.email_checked_at IS NULL OR cv.email_checked_at <= EXCLUDED.email_checked_at
           OR lower(cv.email) IS DISTINCT FROM lower(EXCLUDED.email);
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION people.trigger_email_verification_current() FROM PUBLIC;

COMMENT ON FUNCTION people.trigger_email_verification_current() IS 'v2';
