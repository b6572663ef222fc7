-- marketing.trigger_renewal_readiness (function, v1): the live definition. The migrations hold
-- frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

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
