-- people.refresh_contact_verification (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- The current status of person p_contact_id for address p_email: the latest recorded result
-- of that address for that person, else gray with no check date. Updates the person's row
-- only (a person without one has no status yet: gray; merges and undos move rows themselves).
CREATE OR REPLACE FUNCTION people.refresh_contact_verification(p_contact_id bigint, p_email text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    SELECT * INTO r FROM people.address_status(p_contact_id, p_email);
    IF FOUND THEN
        UPDATE people.contact_verification cv
        SET email = p_email, email_status = r.email_status, email_checked_at = r.email_checked_at,
            email_confidence = r.email_confidence, email_source_url = r.email_source_url,
            provider = r.provider
        WHERE cv.contact_id = p_contact_id;
    ELSE
        UPDATE people.contact_verification cv
        SET email = p_email, email_status = 'gray', email_checked_at = NULL,
            email_confidence = NULL, email_source_url = NULL, provider = NULL
        WHERE cv.contact_id = p_contact_id;
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION people.refresh_contact_verification(bigint, text) FROM PUBLIC;

COMMENT ON FUNCTION people.refresh_contact_verification(bigint, text) IS 'v1';
