-- people.trigger_email_verification_address (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- BEFORE INSERT OR UPDATE OF email ON people.email_verification: only the current address.
CREATE OR REPLACE FUNCTION people.trigger_email_verification_address()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_current text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.email IS DISTINCT FROM OLD.email THEN
            RAISE EXCEPTION 'verification refused: the address of verification % cannot change',
                OLD.verification_id
                USING ERRCODE = '23V01', HINT = 'Record a new result for the new address.';
        END IF;
        RETURN NEW;
    END IF;
    SELECT p.email INTO v_current FROM people.contact p WHERE p.contact_id = NEW.contact_id;
    NEW.email := coalesce(nullif(btrim(NEW.email), ''), v_current);
    IF lower(NEW.email) IS DISTINCT FROM lower(v_current) THEN
        RAISE EXCEPTION 'verification refused: % is not the current e-mail of person %',
            NEW.email, NEW.contact_id
            USING ERRCODE = '23V01',
                  HINT = 'The person''s e-mail changed; verify the current address.';
    END IF;
    RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION people.trigger_email_verification_address() FROM PUBLIC;

COMMENT ON FUNCTION people.trigger_email_verification_address() IS 'v1';
