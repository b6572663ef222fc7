-- 0011_version_stamps: version stamps for the marketing objects created before the stamping rule
-- (issue 15). Each definition below is its live file verbatim (<app>/sql/<object>.sql), so
-- the only catalog change is the COMMENT ... IS 'vN' stamp, N counting the object's
-- snapshots in the migrations so far. Run by the schema owner; nothing here is SECURITY DEFINER
-- beyond what the definitions already were.


-- marketing.campaigns (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Seed 002's name for the campaign table: a simple (auto-updatable) view.
CREATE OR REPLACE VIEW marketing.campaigns AS
SELECT campaign_id, name, type, status, target_count, sent_count, response_count,
       created_at, started_at, ended_at
FROM marketing.campaign;

GRANT SELECT, INSERT, UPDATE, DELETE ON marketing.campaigns TO outreach_app;

COMMENT ON VIEW marketing.campaigns IS 'v1';


-- marketing.outreach_history (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW marketing.outreach_history AS
SELECT m.message_log_id AS id,
       m.contact_id AS person_id,
       m.campaign_id,
       m.channel,
       m.direction,
       coalesce(m.message_type, CASE m.direction WHEN 'inbound' THEN 'reply' ELSE 'initial' END)
           AS message_type,
       m.subject,
       m.sent_at,
       m.opened_at,
       m.replied_at,
       coalesce(m.status, 'sent') AS status,
       p.full_name,
       p.email,
       coalesce(cc.company_id, p.company_id) AS company_id,
       co.company_name,
       coalesce(cc.role_code, s.role_code) AS role_code,
       ca.name AS campaign_name
FROM marketing.message_log m
LEFT JOIN people.contact p ON p.contact_id = m.contact_id
LEFT JOIN marketing.campaign_contact cc
       ON cc.campaign_id = m.campaign_id AND cc.contact_id = m.contact_id
LEFT JOIN company.company co ON co.company_id = coalesce(cc.company_id, p.company_id)
LEFT JOIN LATERAL (
    SELECT sl.role_code FROM company.company_slot sl
    WHERE sl.contact_id = m.contact_id AND sl.company_id = coalesce(cc.company_id, p.company_id)
    ORDER BY sl.role_code LIMIT 1
) s ON true
LEFT JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id;

GRANT SELECT ON marketing.outreach_history TO outreach_app;

COMMENT ON VIEW marketing.outreach_history IS 'v1';


-- marketing.vw_campaign_member (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- The members of campaigns with the derived "on hold" state.
CREATE OR REPLACE VIEW marketing.vw_campaign_member AS
SELECT m.campaign_contact_id,
       m.campaign_id,
       m.contact_id,
       m.company_id,
       m.role_code,
       m.status,
       (m.status = 'pending' AND EXISTS (
            SELECT 1 FROM marketing.booking_event b
            WHERE b.campaign_id = m.campaign_id AND b.company_id = m.company_id)) AS on_hold
FROM marketing.campaign_contact m;

COMMENT ON VIEW marketing.vw_campaign_member IS 'v1';


-- marketing.vw_renewal_readiness (view, v4): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0008_renewal_ready_walk: marketing.vw_renewal_readiness v3 — `ready` as per-row lookups, so
-- the renewals page's default list (ready companies, earliest window first) walks
-- company_window_start_idx in order and stops at the page size (issue 11, B6).
--   * v2 (0005) computed `ready` from the slot/duplicate/campaign aggregates, so "WHERE ready"
--     had to aggregate every in-window company before the first row was known. v3 states the
--     same rule as EXISTS / NOT EXISTS lookups on indexed keys (slots by company, contact and
--     verification by id, campaign members by company, duplicates by contact); they reference
--     only the company row, so the planner filters at the company scan, the walk stays in
--     window-start order and the display aggregates run only for the rows returned.
--   * Same columns, same results: `missing` still comes from the aggregates, and ready is true
--     exactly when `missing` is empty (tests/marketing/test_renewal_list.py checks both).
--   * Dates: unchanged from v2 (stored columns; the stale-row UNION ALL branch computes them).
-- Run by the schema owner; no functions, no SECURITY DEFINER.

CREATE OR REPLACE VIEW marketing.vw_renewal_readiness AS
SELECT r.*,
       -- The same rule as the checklist below, as short-circuiting per-row lookups on the
       -- company's own columns (see the header): a page of ready rows costs the rows walked.
       r.in_window AND NOT r.is_archived
           AND EXISTS (
               SELECT 1
               FROM company.company_slot gs
               JOIN people.contact gp ON gp.contact_id = gs.contact_id AND gp.status = 'active'
               JOIN people.contact_verification gv
                 ON gv.contact_id = gs.contact_id AND gv.email_status = 'green'
               WHERE gs.company_id = r.company_id)
           AND NOT EXISTS (
               SELECT 1
               FROM marketing.campaign_contact bm
               JOIN marketing.campaign bc ON bc.campaign_id = bm.campaign_id
               WHERE bm.company_id = r.company_id
                 AND (bc.status <> 'completed' OR bm.created_at >= r.campaign_window_start))
           AND NOT EXISTS (
               SELECT 1
               FROM company.company_slot ds
               JOIN people.resolution_queue dq
                 ON ds.contact_id IN (dq.contact_primary_id, dq.contact_duplicate_id)
               WHERE ds.company_id = r.company_id AND dq.resolution_status = 'pending')
           AS ready,
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
           nr.company_name,
           nr.industry,
           nr.state_region,
           nr.status AS company_status,
           nr.status = 'archived' AS is_archived,
           nr.renewal_month,
           nr.window_days,
           nr.next_renewal_date,
           nr.campaign_window_start,
           nr.next_renewal_date - current_date AS days_until_renewal,
           nr.campaign_window_start - current_date AS days_until_window,
           nr.campaign_window_start <= current_date AS in_window,
           s.ceo_contact_id, s.ceo_name, s.ceo_email_status, s.ceo_contact_status,
           s.cfo_contact_id, s.cfo_name, s.cfo_email_status, s.cfo_contact_status,
           s.hr_contact_id, s.hr_name, s.hr_email_status, s.hr_contact_status,
           s.filled_count,
           s.green_count,
           s.green_roles,
           d.pending_duplicates,
           coalesce(oc.campaign_id, cc.campaign_id) AS open_campaign_id,
           coalesce(oc.name, cc.name) AS open_campaign_name
    FROM (
        SELECT c.company_id, c.company_name, c.industry, c.state_region, c.status,
               c.renewal_month, c.renewal_notice_window_days AS window_days,
               c.next_renewal_date, c.campaign_window_start
        FROM company.company c
        WHERE c.renewal_month IS NOT NULL AND c.next_renewal_date >= current_date
        UNION ALL
        SELECT c.company_id, c.company_name, c.industry, c.state_region, c.status,
               c.renewal_month, c.renewal_notice_window_days,
               company.next_renewal_date(c.renewal_month, current_date),
               company.next_renewal_date(c.renewal_month, current_date)
                   - c.renewal_notice_window_days
        FROM company.company c
        WHERE c.renewal_month IS NOT NULL
          AND (c.next_renewal_date < current_date OR c.next_renewal_date IS NULL)
    ) nr
    CROSS JOIN LATERAL (
        SELECT max(sl.contact_id) FILTER (WHERE sl.role_code = 'CEO') AS ceo_contact_id,
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
        WHERE sl.company_id = nr.company_id
    ) s
    CROSS JOIN LATERAL (
        SELECT count(DISTINCT q.resolution_id) AS pending_duplicates
        FROM company.company_slot sl
        JOIN people.resolution_queue q
          ON sl.contact_id IN (q.contact_primary_id, q.contact_duplicate_id)
        WHERE sl.company_id = nr.company_id AND q.resolution_status = 'pending'
    ) d
    -- "already in a campaign for this renewal": an open (draft/active/paused) campaign, or a
    -- completed one the company joined since this renewal's window opened.
    LEFT JOIN LATERAL (
        SELECT ca.campaign_id, ca.name
        FROM marketing.campaign_contact m
        JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
        WHERE m.company_id = nr.company_id AND ca.status <> 'completed'
        ORDER BY ca.campaign_id DESC
        LIMIT 1
    ) oc ON true
    LEFT JOIN LATERAL (
        SELECT ca.campaign_id, ca.name
        FROM marketing.campaign_contact m
        JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
        WHERE m.company_id = nr.company_id AND ca.status = 'completed'
          AND m.created_at >= nr.campaign_window_start
        ORDER BY m.created_at DESC, ca.campaign_id DESC
        LIMIT 1
    ) cc ON true
) r;

GRANT SELECT ON marketing.vw_renewal_readiness TO outreach_app;

COMMENT ON VIEW marketing.vw_renewal_readiness IS 'v4';
