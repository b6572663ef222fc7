-- 0009_shared_history reversed: people.contact and people.contact_verification back to the
-- row-level people.trigger_history v1 (the definitions of 0002_people_rules, which holds other
-- objects redefined since).

DROP TRIGGER IF EXISTS contact_history_insert ON people.contact;
DROP TRIGGER IF EXISTS contact_history_update ON people.contact;
DROP TRIGGER IF EXISTS contact_history_delete ON people.contact;
DROP TRIGGER IF EXISTS contact_verification_history_insert ON people.contact_verification;
DROP TRIGGER IF EXISTS contact_verification_history_update ON people.contact_verification;
DROP TRIGGER IF EXISTS contact_verification_history_delete ON people.contact_verification;

CREATE OR REPLACE FUNCTION people.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_keys text[] := public.jsonb_changed_keys(v_old, v_new);
BEGIN
    IF TG_OP = 'UPDATE' AND cardinality(v_keys) = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO people.history (contact_id, table_name, action, changed_fields, old_values,
                                new_values, changed_by, changed_at)
    VALUES ((coalesce(v_new, v_old) ->> 'contact_id')::bigint, TG_TABLE_NAME, lower(TG_OP),
            to_jsonb(v_keys), public.jsonb_pick(v_old, v_keys), public.jsonb_pick(v_new, v_keys),
            public.current_actor(), clock_timestamp());
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION people.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION people.trigger_history() IS 'v1';

DROP TRIGGER IF EXISTS contact_history ON people.contact;
CREATE TRIGGER contact_history AFTER INSERT OR UPDATE OR DELETE ON people.contact
    FOR EACH ROW EXECUTE FUNCTION people.trigger_history();
DROP TRIGGER IF EXISTS contact_verification_history ON people.contact_verification;
CREATE TRIGGER contact_verification_history
    AFTER INSERT OR UPDATE OR DELETE ON people.contact_verification
    FOR EACH ROW EXECUTE FUNCTION people.trigger_history();
