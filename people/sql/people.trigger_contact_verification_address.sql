-- people.trigger_contact_verification_address (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- BEFORE INSERT OR UPDATE ON people.contact_verification: the row is about the current address.
-- SECURITY DEFINER: it reads people.address_status (EXECUTE revoked from PUBLIC) for every
-- writer role; it changes only NEW.
CREATE OR REPLACE FUNCTION people.trigger_contact_verification_address()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_current text;
    r record;
BEGIN
    SELECT p.email INTO v_current FROM people.contact p WHERE p.contact_id = NEW.contact_id;
    IF NEW.email IS NULL THEN
        NEW.email := v_current;
        RETURN NEW;
    END IF;
    IF lower(NEW.email) IS NOT DISTINCT FROM lower(v_current) THEN
        RETURN NEW;
    END IF;
    SELECT * INTO r FROM people.address_status(NEW.contact_id, v_current);
    NEW.email := v_current;
    IF FOUND THEN
        NEW.email_status := r.email_status;
        NEW.email_checked_at := r.email_checked_at;
        NEW.email_confidence := r.email_confidence;
        NEW.email_source_url := r.email_source_url;
        NEW.provider := r.provider;
    ELSE
        NEW.email_status := 'gray';
        NEW.email_checked_at := NULL;
        NEW.email_confidence := NULL;
        NEW.email_source_url := NULL;
        NEW.provider := NULL;
    END IF;
    RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION people.trigger_contact_verification_address() FROM PUBLIC;

COMMENT ON FUNCTION people.trigger_contact_verification_address() IS 'v1';
