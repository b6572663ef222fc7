-- 0010_shared_history: public.trigger_history v1, the one history trigger body of every schema
-- (issue 15; the why is in companies/sql/public.trigger_history.sql). company.company and
-- company.company_slot move from the row-level company.trigger_history clone to three
-- statement-level triggers each over transition tables (company_slot passes '+reason' for the
-- coordinator's reason); the clone is dropped. people, marketing and signals switch their
-- triggers in their own migrations, which depend on this one. Run by the schema owner.

CREATE OR REPLACE FUNCTION public.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_cols text := '';
    v_vals text := '';
    v_ignore text[] := '{}';
    v_extra jsonb := '{}'::jsonb;
    v_reason text;
    v_arg text;
    v_keys text[];
    v_skip text[];
    v_first jsonb;
    v_changed text := 'public.jsonb_changed_keys(o.jo, n.j)';
BEGIN
    FOREACH v_arg IN ARRAY coalesce(TG_ARGV, '{}'::text[]) LOOP
        IF v_arg = '+reason' THEN
            v_reason := nullif(btrim(current_setting('outreach.reason', true)), '');
            IF v_reason IS NOT NULL THEN
                v_extra := jsonb_build_object('reason', v_reason);
            END IF;
        ELSIF left(v_arg, 1) = '-' THEN
            v_ignore := v_ignore || substr(v_arg, 2);
        ELSE
            v_cols := v_cols || format(', %I', split_part(v_arg, '=', 1));
            v_vals := v_vals || format(', (j ->> %L)::bigint',
                                       coalesce(nullif(split_part(v_arg, '=', 2), ''), v_arg));
        END IF;
    END LOOP;

    IF TG_OP = 'UPDATE' THEN
        IF cardinality(v_ignore) > 0 THEN
            v_changed := format('ARRAY(SELECT k FROM unnest(%s) AS k WHERE k <> ALL (%L::text[]))',
                                v_changed, v_ignore);
        END IF;
        EXECUTE format(
            'INSERT INTO %I.history (table_name, action, changed_fields, old_values, new_values,'
            ' changed_by, changed_at%s)'
            ' SELECT $1, ''update'', to_jsonb(keys), public.jsonb_pick(jo, keys),'
            ' public.jsonb_pick(j, keys) || $4, $2, $3%s'
            ' FROM (SELECT n.i, o.jo, n.j, %s AS keys'
            '       FROM (SELECT row_number() OVER () AS i, to_jsonb(x) AS jo FROM old_rows x) o'
            '       JOIN (SELECT row_number() OVER () AS i, to_jsonb(y) AS j FROM new_rows y) n'
            '         ON n.i = o.i) c'
            ' WHERE cardinality(keys) > 0 ORDER BY i',
            TG_TABLE_SCHEMA, v_cols, v_vals, v_changed)
        USING TG_TABLE_NAME::text, public.current_actor(), clock_timestamp(), v_extra;
        RETURN NULL;
    END IF;

    IF TG_OP = 'INSERT' THEN
        SELECT to_jsonb(n) INTO v_first FROM new_rows n LIMIT 1;
    ELSE
        SELECT to_jsonb(o) INTO v_first FROM old_rows o LIMIT 1;
    END IF;
    IF v_first IS NULL THEN
        RETURN NULL;
    END IF;
    -- Every column but the bookkeeping ones: the keys jsonb_changed_keys gives for the first row
    -- are every row's keys; the rest (v_skip) is subtracted from each row.
    v_keys := public.jsonb_changed_keys(NULL, v_first);
    v_skip := ARRAY(SELECT jsonb_object_keys(v_first) EXCEPT SELECT unnest(v_keys));
    EXECUTE format(
        'INSERT INTO %I.history (table_name, action, changed_fields, old_values, new_values,'
        ' changed_by, changed_at%s)'
        ' SELECT $1, %L, $5, %s, %s, $2, $3%s FROM (SELECT to_jsonb(t) AS j FROM %I t) r',
        TG_TABLE_SCHEMA, v_cols, lower(TG_OP),
        CASE WHEN TG_OP = 'INSERT' THEN '''{}''::jsonb' ELSE '(j - $6)' END,
        CASE WHEN TG_OP = 'INSERT' THEN '(j - $6) || $4' ELSE '''{}''::jsonb || $4' END,
        v_vals, CASE WHEN TG_OP = 'INSERT' THEN 'new_rows' ELSE 'old_rows' END)
    USING TG_TABLE_NAME::text, public.current_actor(), clock_timestamp(), v_extra,
          to_jsonb(v_keys), v_skip;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION public.trigger_history() FROM PUBLIC;

COMMENT ON FUNCTION public.trigger_history() IS 'v1';

DROP TRIGGER IF EXISTS company_history ON company.company;
DROP TRIGGER IF EXISTS company_history_insert ON company.company;
CREATE TRIGGER company_history_insert AFTER INSERT ON company.company
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('company_id');
DROP TRIGGER IF EXISTS company_history_update ON company.company;
CREATE TRIGGER company_history_update AFTER UPDATE ON company.company
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('company_id');
DROP TRIGGER IF EXISTS company_history_delete ON company.company;
CREATE TRIGGER company_history_delete AFTER DELETE ON company.company
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('company_id');

DROP TRIGGER IF EXISTS company_slot_history ON company.company_slot;
DROP TRIGGER IF EXISTS company_slot_history_insert ON company.company_slot;
CREATE TRIGGER company_slot_history_insert AFTER INSERT ON company.company_slot
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('company_id', 'company_slot_id', '+reason');
DROP TRIGGER IF EXISTS company_slot_history_update ON company.company_slot;
CREATE TRIGGER company_slot_history_update AFTER UPDATE ON company.company_slot
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('company_id', 'company_slot_id', '+reason');
DROP TRIGGER IF EXISTS company_slot_history_delete ON company.company_slot;
CREATE TRIGGER company_slot_history_delete AFTER DELETE ON company.company_slot
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('company_id', 'company_slot_id', '+reason');

DROP FUNCTION IF EXISTS company.trigger_history();
