-- Reverse of 0004_slot_filling: drop the candidate function and the email-domain index, and put
-- company.trigger_history back to v1 (history rows keep any recorded reasons).
DROP FUNCTION IF EXISTS company.slot_candidates(bigint, integer);
DROP INDEX IF EXISTS people.contact_email_domain_idx;

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
BEGIN
    IF TG_OP = 'UPDATE' AND cardinality(v_keys) = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO company.history (company_id, company_slot_id, table_name, action,
                                 changed_fields, old_values, new_values, changed_by, changed_at)
    VALUES ((v_row ->> 'company_id')::bigint,
            (v_row ->> 'company_slot_id')::bigint,
            TG_TABLE_NAME, lower(TG_OP), to_jsonb(v_keys),
            public.jsonb_pick(v_old, v_keys), public.jsonb_pick(v_new, v_keys),
            public.current_actor(), clock_timestamp());
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION company.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION company.trigger_history() IS 'v1';
