-- Reverse of 0005_renewal_readiness_indexed: the set-based view of 0003_renewal_readiness_setbased.

CREATE OR REPLACE VIEW marketing.vw_renewal_readiness AS
SELECT r.*,
       r.in_window AND r.green_count > 0 AND NOT r.is_archived AND r.pending_duplicates = 0
           AND r.open_campaign_id IS NULL AS ready,
       array_remove(ARRAY[
           CASE WHEN NOT r.in_window THEN 'renewal window not open yet' END,
           CASE WHEN r.green_count = 0 THEN 'no green slot contact' END,
           CASE WHEN r.is_archived THEN 'company archived' END,
           CASE WHEN r.pending_duplicates > 0 THEN 'duplicate pending review' END,
           CASE WHEN r.open_campaign_id IS NOT NULL
                THEN format('already in campaign “%s”', r.open_campaign_name) END
       ], NULL) AS missing
FROM (
    SELECT nr.company_id,
           c.company_name,
           c.industry,
           c.state_region,
           c.status AS company_status,
           c.status = 'archived' AS is_archived,
           c.renewal_month,
           c.renewal_notice_window_days AS window_days,
           nr.next_renewal_date,
           nr.campaign_window_start,
           nr.days_until_renewal,
           nr.campaign_window_start - current_date AS days_until_window,
           nr.in_window,
           s.ceo_contact_id, s.ceo_name, s.ceo_email_status, s.ceo_contact_status,
           s.cfo_contact_id, s.cfo_name, s.cfo_email_status, s.cfo_contact_status,
           s.hr_contact_id, s.hr_name, s.hr_email_status, s.hr_contact_status,
           coalesce(s.filled_count, 0) AS filled_count,
           coalesce(s.green_count, 0) AS green_count,
           coalesce(s.green_roles, '{}') AS green_roles,
           coalesce(d.pending_duplicates, 0) AS pending_duplicates,
           coalesce(oc.campaign_id, cc.campaign_id) AS open_campaign_id,
           coalesce(oc.name, cc.name) AS open_campaign_name
    FROM company.vw_next_renewal nr
    JOIN company.company c ON c.company_id = nr.company_id
    -- Set-based (one grouped pass over all slots, one over pending duplicates) rather than a
    -- per-company subquery: the page sorts on "ready", so every listed row is computed anyway;
    -- a filter on company_id is still pushed down into the grouped subqueries.
    LEFT JOIN (
        SELECT sl.company_id,
               max(sl.contact_id) FILTER (WHERE sl.role_code = 'CEO') AS ceo_contact_id,
               max(p.full_name) FILTER (WHERE sl.role_code = 'CEO') AS ceo_name,
               max(v.email_status) FILTER (WHERE sl.role_code = 'CEO') AS ceo_email_status,
               max(p.status) FILTER (WHERE sl.role_code = 'CEO') AS ceo_contact_status,
               max(sl.contact_id) FILTER (WHERE sl.role_code = 'CFO') AS cfo_contact_id,
               max(p.full_name) FILTER (WHERE sl.role_code = 'CFO') AS cfo_name,
               max(v.email_status) FILTER (WHERE sl.role_code = 'CFO') AS cfo_email_status,
               max(p.status) FILTER (WHERE sl.role_code = 'CFO') AS cfo_contact_status,
               max(sl.contact_id) FILTER (WHERE sl.role_code = 'HR') AS hr_contact_id,
               max(p.full_name) FILTER (WHERE sl.role_code = 'HR') AS hr_name,
               max(v.email_status) FILTER (WHERE sl.role_code = 'HR') AS hr_email_status,
               max(p.status) FILTER (WHERE sl.role_code = 'HR') AS hr_contact_status,
               count(sl.contact_id) AS filled_count,
               count(*) FILTER (WHERE v.email_status = 'green' AND p.status = 'active')
                   AS green_count,
               coalesce(array_agg(sl.role_code ORDER BY sl.role_code)
                        FILTER (WHERE v.email_status = 'green' AND p.status = 'active'), '{}')
                   AS green_roles
        FROM company.company_slot sl
        LEFT JOIN people.contact p ON p.contact_id = sl.contact_id
        LEFT JOIN people.contact_verification v ON v.contact_id = sl.contact_id
        GROUP BY sl.company_id
    ) s ON s.company_id = nr.company_id
    LEFT JOIN (
        SELECT sl.company_id, count(DISTINCT q.resolution_id) AS pending_duplicates
        FROM people.resolution_queue q
        JOIN company.company_slot sl
          ON sl.contact_id IN (q.contact_primary_id, q.contact_duplicate_id)
        WHERE q.resolution_status = 'pending'
        GROUP BY sl.company_id
    ) d ON d.company_id = nr.company_id
    -- "already in a campaign for this renewal": an open (draft/active/paused) campaign, or a
    -- completed one the company joined since this renewal's window opened.
    LEFT JOIN (
        SELECT DISTINCT ON (m.company_id) m.company_id, ca.campaign_id, ca.name
        FROM marketing.campaign_contact m
        JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
        WHERE ca.status <> 'completed' AND m.company_id IS NOT NULL
        ORDER BY m.company_id, ca.campaign_id DESC
    ) oc ON oc.company_id = nr.company_id
    LEFT JOIN (
        SELECT DISTINCT ON (m.company_id) m.company_id, ca.campaign_id, ca.name, m.created_at
        FROM marketing.campaign_contact m
        JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
        WHERE ca.status = 'completed' AND m.company_id IS NOT NULL
        ORDER BY m.company_id, m.created_at DESC, ca.campaign_id DESC
    ) cc ON cc.company_id = nr.company_id AND cc.created_at >= nr.campaign_window_start
) r;

GRANT SELECT ON marketing.vw_renewal_readiness TO outreach_app;
