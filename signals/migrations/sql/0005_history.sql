-- 0005_history: bit.history, one row per change of a signal naming the acting user (issue 10:
-- marking signals processed recorded only processed_at, not who did it).
--   * bit.trigger_history() is an AFTER ... FOR EACH STATEMENT trigger over transition tables:
--     one set-based INSERT ... SELECT per statement, so marking a page of signals processed and
--     the daily generator's bulk INSERT (bit.generate_renewal_signals) stay one statement each.
--     The row key column is TG_ARGV[0]. Rows of one firing share changed_at.
--   * changed_by is public.current_actor() (outreach.actor, else the login).
-- Run by the schema owner. SECURITY DEFINER (the app role reads history but has no write grant
-- on it), pinned search_path, schema-qualified names, EXECUTE revoked from PUBLIC.

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
COMMENT ON FUNCTION bit.trigger_history() IS 'v1';

DROP TRIGGER IF EXISTS signal_history_insert ON bit.signal;
CREATE TRIGGER signal_history_insert AFTER INSERT ON bit.signal
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bit.trigger_history('signal_id');
DROP TRIGGER IF EXISTS signal_history_update ON bit.signal;
CREATE TRIGGER signal_history_update AFTER UPDATE ON bit.signal
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bit.trigger_history('signal_id');
DROP TRIGGER IF EXISTS signal_history_delete ON bit.signal;
CREATE TRIGGER signal_history_delete AFTER DELETE ON bit.signal
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bit.trigger_history('signal_id');

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON bit.history FROM outreach_app;
GRANT SELECT ON bit.history TO outreach_app;
