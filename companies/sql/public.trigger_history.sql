-- public.trigger_history (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- The one history trigger body of every schema (issue 15). It replaces four hand clones that had
-- diverged: company.trigger_history (row-level, slot reason), people.trigger_history (row-level,
-- still v1), marketing.trigger_history and bit.trigger_history (statement-level v2). The rows it
-- writes are the clones' rows (tests/db/test_history_shared.py compares a scripted set of writes
-- with a dump taken from the clones).
--
-- Why statement-level for every table: one AFTER … FOR EACH STATEMENT firing per statement over
-- the transition tables runs ONE INSERT … SELECT into the history table, so a bulk load pays one
-- set-based insert instead of a PL/pgSQL call, two jsonb function calls and a one-row INSERT per
-- row (the row-level clones cost ~100 us a row: a 5,000-row INSERT … SELECT into people.contact
-- spent more time in history than in the insert itself). The history table and its reference
-- columns differ per schema, so the INSERT is built once per firing with format() (identifiers
-- quoted with %I, literals with %L) and run with EXECUTE … USING; PL/pgSQL exposes the transition
-- tables to EXECUTE too. The price is planning that INSERT on every firing (~0.2-0.4 ms a
-- statement, paid once by a one-row write); measured at 5,000 rows: ~0.65 s with this body
-- against ~1.15 s with the row-level people clone for the whole INSERT … SELECT.
--
-- Trigger arguments (TG_ARGV), in any order:
--   'col'            history.col := the row's column col (bigint), e.g. 'company_id'
--   'col=row_col'    history.col := the row's column row_col, e.g. 'row_id=campaign_id'
--   '-col'           a change of col alone writes no 'update' row (campaign counts)
--   '+reason'        new_values also gets {"reason": …} from the transaction-local setting
--                    outreach.reason (trimmed; empty = none), as company_slot's clone did
-- The history table is <schema of the audited table>.history. The triggers are
--   AFTER INSERT  … REFERENCING NEW TABLE AS new_rows
--   AFTER UPDATE  … REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
--   AFTER DELETE  … REFERENCING OLD TABLE AS old_rows
-- each FOR EACH STATEMENT.
--
-- Rows written (the clones' rules): changed_fields = public.jsonb_changed_keys(old, new) (sorted,
-- bookkeeping columns left out), old_values/new_values = those keys of the old/new row ({} for
-- the missing side), changed_by = public.current_actor() (outreach.actor, else the login); an
-- UPDATE whose changed keys are empty (after the '-' columns) writes no row. An inserted or
-- deleted row records every column but the bookkeeping ones, the same key list for the whole
-- statement: it is read once from the first row and each row is one jsonb subtraction (the v2
-- clones' saving). An UPDATE pairs old_rows and new_rows by position (PostgreSQL appends a row's
-- old and new image to the two transition tables together), so a row whose key column changes
-- (people merges move contact_verification.contact_id) is still recorded, as the row-level
-- clones did; rows are written in the statement's row order. changed_at is read once per firing
-- (the row-level clones read the clock once per row; history_id keeps the order).
--
-- SECURITY DEFINER: the app role reads the history tables but has no write grant on them.
-- search_path is pinned and every name is schema-qualified; EXECUTE is revoked from PUBLIC.

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
