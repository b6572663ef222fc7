-- 0006_history_v2 reverse: bit.trigger_history back to v1 (0005).
CREATE OR REPLACE FUNCTION bit.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_key text := TG_ARGV[0];
    v_actor text := public.current_actor();
    v_at timestamptz := clock_timestamp();
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO bit.history (table_name, row_id, company_id, contact_id, action,
                                 changed_fields, old_values, new_values, changed_by, changed_at)
        SELECT TG_TABLE_NAME, (r.j ->> v_key)::bigint, (r.j ->> 'company_id')::bigint,
               (r.j ->> 'contact_id')::bigint, 'insert',
               to_jsonb(k.keys), '{}'::jsonb, public.jsonb_pick(r.j, k.keys), v_actor, v_at
        FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r
        CROSS JOIN LATERAL (SELECT public.jsonb_changed_keys(NULL, r.j) AS keys) k;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO bit.history (table_name, row_id, company_id, contact_id, action,
                                 changed_fields, old_values, new_values, changed_by, changed_at)
        SELECT TG_TABLE_NAME, (c.jn ->> v_key)::bigint, (c.jn ->> 'company_id')::bigint,
               (c.jn ->> 'contact_id')::bigint, 'update',
               to_jsonb(c.keys), public.jsonb_pick(c.jo, c.keys),
               public.jsonb_pick(c.jn, c.keys), v_actor, v_at
        FROM (
            SELECT o.jo, n.jn, public.jsonb_changed_keys(o.jo, n.jn) AS keys
            FROM (SELECT to_jsonb(x) AS jo FROM old_rows x) o
            JOIN (SELECT to_jsonb(y) AS jn FROM new_rows y) n
              ON (n.jn ->> v_key) = (o.jo ->> v_key)
        ) c
        WHERE cardinality(c.keys) > 0;
    ELSE
        INSERT INTO bit.history (table_name, row_id, company_id, contact_id, action,
                                 changed_fields, old_values, new_values, changed_by, changed_at)
        SELECT TG_TABLE_NAME, (r.j ->> v_key)::bigint, (r.j ->> 'company_id')::bigint,
               (r.j ->> 'contact_id')::bigint, 'delete',
               to_jsonb(k.keys), public.jsonb_pick(r.j, k.keys), '{}'::jsonb, v_actor, v_at
        FROM (SELECT to_jsonb(o) AS j FROM old_rows o) r
        CROSS JOIN LATERAL (SELECT public.jsonb_changed_keys(r.j, NULL) AS keys) k;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION bit.trigger_history() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION bit.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION bit.trigger_history() IS 'v1';
