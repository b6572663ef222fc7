-- company.trigger_slot_fill (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- filled_at follows contact_id whoever writes it; a slot cannot take a merged person or belong
-- to an archived company when it is filled.
CREATE OR REPLACE FUNCTION company.trigger_slot_fill()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.contact_id IS NULL THEN
        NEW.filled_at := NULL;
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' OR NEW.contact_id IS DISTINCT FROM OLD.contact_id THEN
        IF EXISTS (SELECT 1 FROM people.contact p
                   WHERE p.contact_id = NEW.contact_id AND p.status = 'merged') THEN
            RAISE EXCEPTION 'person % was merged into another record and cannot fill a slot',
                NEW.contact_id USING ERRCODE = '23514';
        END IF;
        IF EXISTS (SELECT 1 FROM company.company c
                   WHERE c.company_id = NEW.company_id AND c.status = 'archived') THEN
            RAISE EXCEPTION 'company % is archived; its slots cannot be filled', NEW.company_id
                USING ERRCODE = '23514';
        END IF;
        NEW.filled_at := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION company.trigger_slot_fill() IS 'v1';
