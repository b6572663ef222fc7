-- marketing.renewal_readiness_sync (function, v1): the live definition. The migrations hold
-- frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

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
