-- people.trigger_history (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- SECURITY DEFINER: the app role may read people.history but has no write grant on it.
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
