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
