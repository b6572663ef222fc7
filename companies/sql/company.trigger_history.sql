-- company.trigger_history (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0004_slot_filling: what slot filling needs from the database (issue 4).
--   * company.trigger_history v2: a slot change also records the coordinator's reason, read from
--     the transaction-local setting `outreach.reason` that companies.services sets just before the
--     UPDATE and clears right after (the reason lands in history.new_values->'reason', next to the
--     change and the actor, so the timeline shows who, when and why in one row).
--   * company.slot_candidates(slot_id, limit): THE ranked, explained candidate list of a slot —
--     people employed at the company plus people whose email domain is the company's domain,
--     scored by company.classify_title for the slot's role. The slot page, the open-slot queue
--     (count and top candidate) and bulk fill all read it, so the ranking has one definition.
--   * an expression index on the email domain of people.contact so the domain half of the
--     candidate lookup stays an index scan at 100k+ people.
-- Run by the schema owner. slot_candidates is SECURITY INVOKER (the app role reads with its own
-- grants) and has no SET clause so the planner may inline it; every name is schema-qualified.

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
