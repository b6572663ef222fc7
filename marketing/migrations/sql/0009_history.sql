-- 0009_history: marketing.history, one row per change of a campaign, a campaign member or a
-- logged message, naming the acting user (issue 10: "allowed → one history row naming the
-- actor"; campaign moves, member removal and outcomes, and messages recorded no actor before).
--   * marketing.trigger_history() is an AFTER ... FOR EACH STATEMENT trigger over transition
--     tables: one set-based INSERT ... SELECT into history per statement, so building a
--     10k-member campaign (issue 11 B14) adds one statement, not 10k trigger calls. The row key
--     column is TG_ARGV[0]; further arguments name columns whose change alone is not recorded
--     (the campaign counts follow member statuses through trigger_campaign_counts, and the
--     member change that moved them is recorded already).
--   * Rows of one firing share changed_at (clock_timestamp() read once per statement).
--   * changed_by is public.current_actor(): outreach.actor set by the request middleware or
--     outreach_admin.db.acting_as, else the login.
-- Run by the schema owner. The function is SECURITY DEFINER (the app role reads history but
-- has no write grant on it), with a pinned search_path, schema-qualified names and EXECUTE
-- revoked from PUBLIC.

CREATE OR REPLACE FUNCTION marketing.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_key text := TG_ARGV[0];
    v_ignore text[] := coalesce(TG_ARGV[1:TG_NARGS - 1], '{}');
    v_actor text := public.current_actor();
    v_at timestamptz := clock_timestamp();
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO marketing.history (table_name, row_id, campaign_id, contact_id, action,
                                       changed_fields, old_values, new_values, changed_by,
                                       changed_at)
        SELECT TG_TABLE_NAME, (r.j ->> v_key)::bigint, (r.j ->> 'campaign_id')::bigint,
               (r.j ->> 'contact_id')::bigint, 'insert',
               to_jsonb(k.keys), '{}'::jsonb, public.jsonb_pick(r.j, k.keys), v_actor, v_at
        FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r
        CROSS JOIN LATERAL (SELECT public.jsonb_changed_keys(NULL, r.j) AS keys) k;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO marketing.history (table_name, row_id, campaign_id, contact_id, action,
                                       changed_fields, old_values, new_values, changed_by,
                                       changed_at)
        SELECT TG_TABLE_NAME, (c.jn ->> v_key)::bigint, (c.jn ->> 'campaign_id')::bigint,
               (c.jn ->> 'contact_id')::bigint, 'update',
               to_jsonb(c.keys), public.jsonb_pick(c.jo, c.keys),
               public.jsonb_pick(c.jn, c.keys), v_actor, v_at
        FROM (
            SELECT o.jo, n.jn,
                   ARRAY(SELECT k FROM unnest(public.jsonb_changed_keys(o.jo, n.jn)) AS k
                         WHERE k <> ALL (v_ignore)) AS keys
            FROM (SELECT to_jsonb(x) AS jo FROM old_rows x) o
            JOIN (SELECT to_jsonb(y) AS jn FROM new_rows y) n
              ON (n.jn ->> v_key) = (o.jo ->> v_key)
        ) c
        WHERE cardinality(c.keys) > 0;
    ELSE
        INSERT INTO marketing.history (table_name, row_id, campaign_id, contact_id, action,
                                       changed_fields, old_values, new_values, changed_by,
                                       changed_at)
        SELECT TG_TABLE_NAME, (r.j ->> v_key)::bigint, (r.j ->> 'campaign_id')::bigint,
               (r.j ->> 'contact_id')::bigint, 'delete',
               to_jsonb(k.keys), public.jsonb_pick(r.j, k.keys), '{}'::jsonb, v_actor, v_at
        FROM (SELECT to_jsonb(o) AS j FROM old_rows o) r
        CROSS JOIN LATERAL (SELECT public.jsonb_changed_keys(r.j, NULL) AS keys) k;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION marketing.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION marketing.trigger_history() IS 'v1';

DROP TRIGGER IF EXISTS campaign_history_insert ON marketing.campaign;
CREATE TRIGGER campaign_history_insert AFTER INSERT ON marketing.campaign
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('campaign_id', 'sent_count', 'response_count',
                                               'target_count');
DROP TRIGGER IF EXISTS campaign_history_update ON marketing.campaign;
CREATE TRIGGER campaign_history_update AFTER UPDATE ON marketing.campaign
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('campaign_id', 'sent_count', 'response_count',
                                               'target_count');
DROP TRIGGER IF EXISTS campaign_history_delete ON marketing.campaign;
CREATE TRIGGER campaign_history_delete AFTER DELETE ON marketing.campaign
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('campaign_id');

DROP TRIGGER IF EXISTS campaign_contact_history_insert ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_history_insert AFTER INSERT ON marketing.campaign_contact
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('campaign_contact_id');
DROP TRIGGER IF EXISTS campaign_contact_history_update ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_history_update AFTER UPDATE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('campaign_contact_id');
DROP TRIGGER IF EXISTS campaign_contact_history_delete ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_history_delete AFTER DELETE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('campaign_contact_id');

DROP TRIGGER IF EXISTS message_log_history_insert ON marketing.message_log;
CREATE TRIGGER message_log_history_insert AFTER INSERT ON marketing.message_log
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('message_log_id');
DROP TRIGGER IF EXISTS message_log_history_update ON marketing.message_log;
CREATE TRIGGER message_log_history_update AFTER UPDATE ON marketing.message_log
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('message_log_id');
DROP TRIGGER IF EXISTS message_log_history_delete ON marketing.message_log;
CREATE TRIGGER message_log_history_delete AFTER DELETE ON marketing.message_log
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION marketing.trigger_history('message_log_id');

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON marketing.history FROM outreach_app;
GRANT SELECT ON marketing.history TO outreach_app;
