-- marketing 0021 (issue 18): marketing.renewal_readiness, each company's readiness for its
-- next renewal with the columns the renewals page shows (those that do not depend on today),
-- kept by statement-level triggers with transition tables on every table the readiness rule
-- reads, recomputed after TRUNCATE; marketing.vw_renewal_readiness_kept, the page's view over
-- it; a partial index on the window start of the ready-when-open rows, so the first page of
-- ready companies is an index scan instead of a readiness check of every in-window company.
CREATE TABLE IF NOT EXISTS marketing.renewal_readiness AS
SELECT v.company_id, v.company_name, v.industry, v.state_region, v.company_status,
       v.is_archived, v.renewal_month, v.window_days, v.next_renewal_date,
       v.campaign_window_start,
       v.ceo_contact_id, v.ceo_name, v.ceo_email_status, v.ceo_contact_status,
       v.cfo_contact_id, v.cfo_name, v.cfo_email_status, v.cfo_contact_status,
       v.hr_contact_id, v.hr_name, v.hr_email_status, v.hr_contact_status,
       v.filled_count, v.green_count, v.green_roles, v.pending_duplicates,
       v.open_campaign_id, v.open_campaign_name,
       v.ready AS ready_when_open, v.missing AS blockers
FROM marketing.vw_renewal_readiness v
WITH NO DATA;
ALTER TABLE marketing.renewal_readiness DROP CONSTRAINT IF EXISTS renewal_readiness_pkey;
ALTER TABLE marketing.renewal_readiness ADD CONSTRAINT renewal_readiness_pkey
    PRIMARY KEY (company_id);
ALTER TABLE marketing.renewal_readiness ALTER COLUMN ready_when_open SET NOT NULL;
CREATE INDEX IF NOT EXISTS renewal_readiness_ready_idx ON marketing.renewal_readiness
    (campaign_window_start, company_name, company_id) WHERE ready_when_open;
CREATE INDEX IF NOT EXISTS renewal_readiness_window_idx ON marketing.renewal_readiness
    (campaign_window_start, company_name, company_id);
CREATE INDEX IF NOT EXISTS renewal_readiness_next_idx ON marketing.renewal_readiness
    (next_renewal_date);
REVOKE ALL ON marketing.renewal_readiness FROM outreach_app;
GRANT SELECT ON marketing.renewal_readiness TO outreach_app;

-- marketing 0021 (issue 18): bring the given companies' rows of marketing.renewal_readiness in
-- line with marketing.vw_renewal_readiness (the one definition of the readiness rule) as it is
-- now: the date-independent columns, ready_when_open (every rule but the open window: not
-- archived, a green active slot contact, no pending duplicate, no campaign for this renewal)
-- and blockers (the checklist without the window line). A company with no renewal month, or
-- gone, loses its row. Rows are locked in key order first and the view is read after the lock,
-- so two transactions syncing one company serialise; the insert is an upsert. Called only by
-- the trigger functions (EXECUTE revoked from PUBLIC).
CREATE OR REPLACE FUNCTION marketing.renewal_readiness_sync(p_ids bigint[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_ids bigint[];
BEGIN
    SELECT pg_catalog.array_agg(DISTINCT x ORDER BY x) INTO v_ids
      FROM pg_catalog.unnest(p_ids) AS x WHERE x IS NOT NULL;
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    PERFORM 1 FROM marketing.renewal_readiness r
     WHERE r.company_id = ANY (v_ids) ORDER BY r.company_id FOR UPDATE;
    DELETE FROM marketing.renewal_readiness r
     WHERE r.company_id = ANY (v_ids)
       AND NOT EXISTS (SELECT 1 FROM company.company c
                       WHERE c.company_id = r.company_id AND c.renewal_month IS NOT NULL);
    INSERT INTO marketing.renewal_readiness AS k
    SELECT v.company_id, v.company_name, v.industry, v.state_region, v.company_status,
           v.is_archived, v.renewal_month, v.window_days, v.next_renewal_date,
           v.campaign_window_start,
           v.ceo_contact_id, v.ceo_name, v.ceo_email_status, v.ceo_contact_status,
           v.cfo_contact_id, v.cfo_name, v.cfo_email_status, v.cfo_contact_status,
           v.hr_contact_id, v.hr_name, v.hr_email_status, v.hr_contact_status,
           v.filled_count, v.green_count, v.green_roles, v.pending_duplicates,
           v.open_campaign_id, v.open_campaign_name,
           NOT v.is_archived AND v.green_count > 0 AND v.pending_duplicates = 0
               AND v.open_campaign_id IS NULL,
           pg_catalog.array_remove(v.missing, 'renewal window not open yet')
    FROM marketing.vw_renewal_readiness v
    WHERE v.company_id = ANY (v_ids)
    ORDER BY v.company_id
    ON CONFLICT (company_id) DO UPDATE SET
        company_name = EXCLUDED.company_name, industry = EXCLUDED.industry,
        state_region = EXCLUDED.state_region, company_status = EXCLUDED.company_status,
        is_archived = EXCLUDED.is_archived, renewal_month = EXCLUDED.renewal_month,
        window_days = EXCLUDED.window_days, next_renewal_date = EXCLUDED.next_renewal_date,
        campaign_window_start = EXCLUDED.campaign_window_start,
        ceo_contact_id = EXCLUDED.ceo_contact_id, ceo_name = EXCLUDED.ceo_name,
        ceo_email_status = EXCLUDED.ceo_email_status,
        ceo_contact_status = EXCLUDED.ceo_contact_status,
        cfo_contact_id = EXCLUDED.cfo_contact_id, cfo_name = EXCLUDED.cfo_name,
        cfo_email_status = EXCLUDED.cfo_email_status,
        cfo_contact_status = EXCLUDED.cfo_contact_status,
        hr_contact_id = EXCLUDED.hr_contact_id, hr_name = EXCLUDED.hr_name,
        hr_email_status = EXCLUDED.hr_email_status,
        hr_contact_status = EXCLUDED.hr_contact_status,
        filled_count = EXCLUDED.filled_count, green_count = EXCLUDED.green_count,
        green_roles = EXCLUDED.green_roles, pending_duplicates = EXCLUDED.pending_duplicates,
        open_campaign_id = EXCLUDED.open_campaign_id,
        open_campaign_name = EXCLUDED.open_campaign_name,
        ready_when_open = EXCLUDED.ready_when_open, blockers = EXCLUDED.blockers;
END
$$;

COMMENT ON FUNCTION marketing.renewal_readiness_sync(bigint[]) IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.renewal_readiness_sync(bigint[]) FROM PUBLIC;


-- marketing 0021 (issue 18): recompute marketing.renewal_readiness for every company with a
-- renewal month. The statement triggers keep it current on every write; this runs where they
-- cannot: after TRUNCATE of a source table, after a bulk load with triggers off
-- (bench.seed_scale) and when the table is created. Owner only (EXECUTE revoked from PUBLIC).
CREATE OR REPLACE FUNCTION marketing.refresh_renewal_readiness()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM marketing.renewal_readiness;
    PERFORM marketing.renewal_readiness_sync(
        ARRAY(SELECT c.company_id FROM company.company c WHERE c.renewal_month IS NOT NULL));
END
$$;

COMMENT ON FUNCTION marketing.refresh_renewal_readiness() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.refresh_renewal_readiness() FROM PUBLIC;


-- marketing 0021 (issue 18): statement-level AFTER INSERT/UPDATE/DELETE trigger (transition
-- tables old_rows/new_rows) on every table marketing.vw_renewal_readiness reads: company.company,
-- company.company_slot, people.contact, people.contact_verification, people.resolution_queue,
-- marketing.campaign and marketing.campaign_contact. It finds the companies whose readiness the
-- statement may have changed (directly, through the slots a person holds, or through a
-- campaign's members) and re-synchronises them (marketing.renewal_readiness_sync). Updates that
-- change nothing the view reads (a member's outreach status, a person's other fields) sync
-- nothing. SECURITY DEFINER: the writers may read the summary, not write it.
CREATE OR REPLACE FUNCTION marketing.trigger_renewal_readiness()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_keys bigint[];
    v_companies bigint[];
BEGIN
    -- (Nested IFs: a transition table a trigger does not declare cannot even be named.)
    IF TG_TABLE_NAME IN ('company', 'company_slot', 'campaign_contact') THEN
        IF TG_OP = 'INSERT' THEN
            v_companies := ARRAY(SELECT n.company_id FROM new_rows n);
        ELSIF TG_OP = 'DELETE' THEN
            v_companies := ARRAY(SELECT o.company_id FROM old_rows o);
        ELSIF TG_TABLE_NAME = 'company' THEN
            v_companies := ARRAY(
                SELECT n.company_id FROM old_rows o JOIN new_rows n USING (company_id)
                WHERE (o.company_name, o.industry, o.state_region, o.status, o.renewal_month,
                       o.renewal_notice_window_days, o.next_renewal_date,
                       o.campaign_window_start)
                      IS DISTINCT FROM
                      (n.company_name, n.industry, n.state_region, n.status, n.renewal_month,
                       n.renewal_notice_window_days, n.next_renewal_date,
                       n.campaign_window_start));
        ELSIF TG_TABLE_NAME = 'company_slot' THEN
            v_companies := ARRAY(SELECT o.company_id FROM old_rows o
                                 UNION SELECT n.company_id FROM new_rows n);
        ELSE
            v_companies := ARRAY(
                SELECT x.company_id
                FROM old_rows o JOIN new_rows n USING (campaign_contact_id),
                     LATERAL (VALUES (o.company_id), (n.company_id)) AS x(company_id)
                WHERE (o.company_id, o.campaign_id, o.created_at)
                      IS DISTINCT FROM (n.company_id, n.campaign_id, n.created_at));
        END IF;
    ELSIF TG_TABLE_NAME = 'campaign' THEN
        IF TG_OP = 'UPDATE' THEN
            v_keys := ARRAY(SELECT n.campaign_id FROM old_rows o JOIN new_rows n USING (campaign_id)
                            WHERE (o.status, o.name) IS DISTINCT FROM (n.status, n.name));
            v_companies := ARRAY(SELECT m.company_id FROM marketing.campaign_contact m
                                 WHERE m.campaign_id = ANY (v_keys));
        END IF;
    ELSE
        -- People tables: the people whose name, status, e-mail status or pending duplicate
        -- changed, then the companies whose slots they hold.
        IF TG_TABLE_NAME = 'contact' THEN
            IF TG_OP = 'UPDATE' THEN
                v_keys := ARRAY(SELECT n.contact_id FROM old_rows o JOIN new_rows n USING (contact_id)
                                WHERE (o.full_name, o.status) IS DISTINCT FROM (n.full_name, n.status));
            END IF;
        ELSIF TG_TABLE_NAME = 'contact_verification' THEN
            IF TG_OP = 'INSERT' THEN
                v_keys := ARRAY(SELECT n.contact_id FROM new_rows n);
            ELSIF TG_OP = 'DELETE' THEN
                v_keys := ARRAY(SELECT o.contact_id FROM old_rows o);
            ELSE
                v_keys := ARRAY(SELECT o.contact_id FROM old_rows o
                                UNION SELECT n.contact_id FROM new_rows n);
            END IF;
        ELSE  -- resolution_queue
            IF TG_OP = 'INSERT' THEN
                v_keys := ARRAY(SELECT k FROM new_rows n,
                                LATERAL (VALUES (n.contact_primary_id), (n.contact_duplicate_id)) v(k));
            ELSIF TG_OP = 'DELETE' THEN
                v_keys := ARRAY(SELECT k FROM old_rows o,
                                LATERAL (VALUES (o.contact_primary_id), (o.contact_duplicate_id)) v(k));
            ELSE
                v_keys := ARRAY(SELECT k FROM old_rows o,
                                LATERAL (VALUES (o.contact_primary_id), (o.contact_duplicate_id)) v(k)
                                UNION
                                SELECT k FROM new_rows n,
                                LATERAL (VALUES (n.contact_primary_id), (n.contact_duplicate_id)) v(k));
            END IF;
        END IF;
        v_companies := ARRAY(SELECT s.company_id FROM company.company_slot s
                             WHERE s.contact_id = ANY (v_keys));
    END IF;
    IF pg_catalog.cardinality(v_companies) > 0 THEN
        PERFORM marketing.renewal_readiness_sync(v_companies);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION marketing.trigger_renewal_readiness() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.trigger_renewal_readiness() FROM PUBLIC;

-- migration (docs/SQL.md).

-- marketing 0021 (issue 18): AFTER TRUNCATE of any table marketing.renewal_readiness is drawn
-- from: recompute it (statement triggers see no rows on TRUNCATE).
CREATE OR REPLACE FUNCTION marketing.trigger_renewal_readiness_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM marketing.refresh_renewal_readiness();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION marketing.trigger_renewal_readiness_truncate() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.trigger_renewal_readiness_truncate() FROM PUBLIC;


-- marketing 0021 (issue 18): what the renewals page reads (the RenewalReadiness model), with
-- the columns and rules of marketing.vw_renewal_readiness but drawn from the trigger-kept
-- marketing.renewal_readiness: only the columns that depend on today (days until, in window,
-- ready, the window line of the checklist) are computed per row, so the first page of ready
-- companies walks the partial index renewal_readiness_ready_idx. A row whose stored renewal is
-- past (the daily roll-forward has not run) is read from the live view instead, which computes
-- its dates, so the page stays right on such a day, only slower; the LATERAL drives that branch
-- from the stale rows (renewal_readiness_next_idx; none on a normal day) rather than letting the
-- planner evaluate the live view over every in-window company first.
CREATE OR REPLACE VIEW marketing.vw_renewal_readiness_kept AS
SELECT k.company_id, k.company_name, k.industry, k.state_region, k.company_status,
       k.is_archived, k.renewal_month, k.window_days, k.next_renewal_date,
       k.campaign_window_start,
       k.next_renewal_date - current_date AS days_until_renewal,
       k.campaign_window_start - current_date AS days_until_window,
       k.campaign_window_start <= current_date AS in_window,
       k.ceo_contact_id, k.ceo_name, k.ceo_email_status, k.ceo_contact_status,
       k.cfo_contact_id, k.cfo_name, k.cfo_email_status, k.cfo_contact_status,
       k.hr_contact_id, k.hr_name, k.hr_email_status, k.hr_contact_status,
       k.filled_count, k.green_count, k.green_roles, k.pending_duplicates,
       k.open_campaign_id, k.open_campaign_name,
       k.campaign_window_start <= current_date AND k.ready_when_open AS ready,
       CASE WHEN k.campaign_window_start <= current_date THEN k.blockers
            ELSE ARRAY['renewal window not open yet'] || k.blockers END AS missing
FROM marketing.renewal_readiness k
WHERE k.next_renewal_date >= current_date
UNION ALL
SELECT v.*
FROM marketing.renewal_readiness s
CROSS JOIN LATERAL (
    SELECT * FROM marketing.vw_renewal_readiness l WHERE l.company_id = s.company_id
    OFFSET 0  -- not flattened: the company id reaches the live view as an index condition
) v
WHERE s.next_renewal_date < current_date;

GRANT SELECT ON marketing.vw_renewal_readiness_kept TO outreach_app;

COMMENT ON VIEW marketing.vw_renewal_readiness_kept IS 'v1';

DROP TRIGGER IF EXISTS company_readiness_ins ON company.company;
CREATE TRIGGER company_readiness_ins AFTER INSERT ON company.company
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS company_readiness_upd ON company.company;
CREATE TRIGGER company_readiness_upd AFTER UPDATE ON company.company
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS company_readiness_del ON company.company;
CREATE TRIGGER company_readiness_del AFTER DELETE ON company.company
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS company_readiness_trunc ON company.company;
CREATE TRIGGER company_readiness_trunc AFTER TRUNCATE ON company.company
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness_truncate();

DROP TRIGGER IF EXISTS company_slot_readiness_ins ON company.company_slot;
CREATE TRIGGER company_slot_readiness_ins AFTER INSERT ON company.company_slot
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS company_slot_readiness_upd ON company.company_slot;
CREATE TRIGGER company_slot_readiness_upd AFTER UPDATE ON company.company_slot
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS company_slot_readiness_del ON company.company_slot;
CREATE TRIGGER company_slot_readiness_del AFTER DELETE ON company.company_slot
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS company_slot_readiness_trunc ON company.company_slot;
CREATE TRIGGER company_slot_readiness_trunc AFTER TRUNCATE ON company.company_slot
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness_truncate();

DROP TRIGGER IF EXISTS contact_readiness_ins ON people.contact;
CREATE TRIGGER contact_readiness_ins AFTER INSERT ON people.contact
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS contact_readiness_upd ON people.contact;
CREATE TRIGGER contact_readiness_upd AFTER UPDATE ON people.contact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS contact_readiness_del ON people.contact;
CREATE TRIGGER contact_readiness_del AFTER DELETE ON people.contact
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS contact_readiness_trunc ON people.contact;
CREATE TRIGGER contact_readiness_trunc AFTER TRUNCATE ON people.contact
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness_truncate();

DROP TRIGGER IF EXISTS contact_verification_readiness_ins ON people.contact_verification;
CREATE TRIGGER contact_verification_readiness_ins AFTER INSERT ON people.contact_verification
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS contact_verification_readiness_upd ON people.contact_verification;
CREATE TRIGGER contact_verification_readiness_upd AFTER UPDATE ON people.contact_verification
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS contact_verification_readiness_del ON people.contact_verification;
CREATE TRIGGER contact_verification_readiness_del AFTER DELETE ON people.contact_verification
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS contact_verification_readiness_trunc ON people.contact_verification;
CREATE TRIGGER contact_verification_readiness_trunc AFTER TRUNCATE ON people.contact_verification
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness_truncate();

DROP TRIGGER IF EXISTS resolution_queue_readiness_ins ON people.resolution_queue;
CREATE TRIGGER resolution_queue_readiness_ins AFTER INSERT ON people.resolution_queue
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS resolution_queue_readiness_upd ON people.resolution_queue;
CREATE TRIGGER resolution_queue_readiness_upd AFTER UPDATE ON people.resolution_queue
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS resolution_queue_readiness_del ON people.resolution_queue;
CREATE TRIGGER resolution_queue_readiness_del AFTER DELETE ON people.resolution_queue
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS resolution_queue_readiness_trunc ON people.resolution_queue;
CREATE TRIGGER resolution_queue_readiness_trunc AFTER TRUNCATE ON people.resolution_queue
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness_truncate();

DROP TRIGGER IF EXISTS campaign_readiness_ins ON marketing.campaign;
CREATE TRIGGER campaign_readiness_ins AFTER INSERT ON marketing.campaign
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS campaign_readiness_upd ON marketing.campaign;
CREATE TRIGGER campaign_readiness_upd AFTER UPDATE ON marketing.campaign
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS campaign_readiness_del ON marketing.campaign;
CREATE TRIGGER campaign_readiness_del AFTER DELETE ON marketing.campaign
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS campaign_readiness_trunc ON marketing.campaign;
CREATE TRIGGER campaign_readiness_trunc AFTER TRUNCATE ON marketing.campaign
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness_truncate();

DROP TRIGGER IF EXISTS campaign_contact_readiness_ins ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_readiness_ins AFTER INSERT ON marketing.campaign_contact
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS campaign_contact_readiness_upd ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_readiness_upd AFTER UPDATE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS campaign_contact_readiness_del ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_readiness_del AFTER DELETE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness();
DROP TRIGGER IF EXISTS campaign_contact_readiness_trunc ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_readiness_trunc AFTER TRUNCATE ON marketing.campaign_contact
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_renewal_readiness_truncate();

SELECT marketing.refresh_renewal_readiness();
