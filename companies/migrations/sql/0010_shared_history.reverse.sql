-- 0010_shared_history reversed: company.company and company.company_slot back to the row-level
-- company.trigger_history v2 (the definitions of 0004_slot_filling and the triggers of
-- 0003_company_rules, which hold other objects redefined since); public.trigger_history goes
-- (people, marketing and signals have already been moved back to their own clones).

DROP TRIGGER IF EXISTS company_history_insert ON company.company;
DROP TRIGGER IF EXISTS company_history_update ON company.company;
DROP TRIGGER IF EXISTS company_history_delete ON company.company;
DROP TRIGGER IF EXISTS company_slot_history_insert ON company.company_slot;
DROP TRIGGER IF EXISTS company_slot_history_update ON company.company_slot;
DROP TRIGGER IF EXISTS company_slot_history_delete ON company.company_slot;

CREATE OR REPLACE FUNCTION company.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_keys text[] := public.jsonb_changed_keys(v_old, v_new);
    v_row jsonb := coalesce(v_new, v_old);
    v_new_values jsonb;
    v_reason text := nullif(btrim(current_setting('outreach.reason', true)), '');
BEGIN
    IF TG_OP = 'UPDATE' AND cardinality(v_keys) = 0 THEN
        RETURN NULL;
    END IF;
    v_new_values := public.jsonb_pick(v_new, v_keys);
    IF TG_TABLE_NAME = 'company_slot' AND v_reason IS NOT NULL THEN
        v_new_values := v_new_values || jsonb_build_object('reason', v_reason);
    END IF;
    INSERT INTO company.history (company_id, company_slot_id, table_name, action,
                                 changed_fields, old_values, new_values, changed_by, changed_at)
    VALUES ((v_row ->> 'company_id')::bigint,
            (v_row ->> 'company_slot_id')::bigint,
            TG_TABLE_NAME, lower(TG_OP), to_jsonb(v_keys),
            public.jsonb_pick(v_old, v_keys), v_new_values,
            public.current_actor(), clock_timestamp());
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION company.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION company.trigger_history() IS 'v2';

DROP TRIGGER IF EXISTS company_history ON company.company;
CREATE TRIGGER company_history AFTER INSERT OR UPDATE OR DELETE ON company.company
    FOR EACH ROW EXECUTE FUNCTION company.trigger_history();
DROP TRIGGER IF EXISTS company_slot_history ON company.company_slot;
CREATE TRIGGER company_slot_history AFTER INSERT OR UPDATE OR DELETE ON company.company_slot
    FOR EACH ROW EXECUTE FUNCTION company.trigger_history();

DROP FUNCTION IF EXISTS public.trigger_history();
