-- marketing.vw_renewal_readiness_kept (view, v1): the live definition. The migrations hold
-- frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

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
