-- 0022_campaign_preflight_v3 (issue 18): v2 (below) read by index for the chosen companies
-- only. Same columns, rows and reasons:
--   * the slots are also filtered by company_id = ANY (p_company_ids), so they are read through
--     the (company_id, role_code) key instead of hashed from a scan of every slot;
--   * the pending duplicates are read once, for the candidate people only (their ids as one
--     array: contact_primary_id / contact_duplicate_id = ANY (...) through the partial indexes
--     resolution_pending_primary_idx / resolution_pending_duplicate_idx), instead of a hashed
--     subplan over every pending row of the queue.
--
-- 0007_campaign_preflight_v2: marketing.campaign_preflight v2 (issue 11, B14). Same columns,
-- rows and reasons as v1 (0003; compared identical on 122- and 1,000-company selections at
-- size S); cheaper per candidate:
--   * company.next_renewal_date is called for the twelve months once per statement, not once
--     per slot (it has a SET clause, so it is never inlined);
--   * the pending-duplicate and open-campaign lookups run only for people who passed every
--     cheaper check (CASE evaluates them lazily), each as an index probe (the OR across the
--     two pair columns is two EXISTS).
-- Run by the schema owner.

CREATE OR REPLACE FUNCTION marketing.campaign_preflight(p_company_ids bigint[], p_roles text[])
RETURNS TABLE (company_id bigint, company_name text, role_code text, contact_id bigint,
               full_name text, email text, email_status text, contact_status text,
               included boolean, reason text)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH renewal AS MATERIALIZED (
        -- next_renewal_date depends only on the month: twelve calls, not one per slot
        SELECT ARRAY(SELECT company.next_renewal_date(m, current_date)
                     FROM generate_series(1, 12) AS m ORDER BY m) AS by_month
    ),
    cand AS (
        SELECT c.company_id, c.company_name, c.status AS company_status, s.role_code,
               s.contact_id, p.full_name, p.email, p.status AS contact_status,
               v.email_status,
               r.by_month[c.renewal_month] - c.renewal_notice_window_days AS window_start,
               array_position(ARRAY['CEO', 'CFO', 'HR'], s.role_code) AS role_rank
        FROM company.company c
        CROSS JOIN renewal r
        JOIN company.company_slot s
          ON s.company_id = c.company_id AND s.role_code = ANY (p_roles)
        LEFT JOIN people.contact p ON p.contact_id = s.contact_id
        LEFT JOIN people.contact_verification v ON v.contact_id = s.contact_id
        WHERE c.company_id = ANY (p_company_ids)
          AND s.company_id = ANY (p_company_ids)  -- (the same rows: the slots by their key)
    ),
    pending AS MATERIALIZED (
        -- the candidates with a pending duplicate pair, by index (one array, not a join)
        SELECT q.contact_primary_id AS contact_id
        FROM people.resolution_queue q
        WHERE q.resolution_status = 'pending'
          AND q.contact_primary_id = ANY (ARRAY(SELECT cand.contact_id FROM cand
                                                WHERE cand.contact_id IS NOT NULL))
        UNION
        SELECT q.contact_duplicate_id
        FROM people.resolution_queue q
        WHERE q.resolution_status = 'pending'
          AND q.contact_duplicate_id = ANY (ARRAY(SELECT cand.contact_id FROM cand
                                                  WHERE cand.contact_id IS NOT NULL))
    ),
    checked AS (
        SELECT cand.*,
               CASE
                   WHEN cand.company_status = 'archived' THEN 'company archived'
                   WHEN cand.contact_id IS NULL THEN 'slot empty'
                   WHEN cand.contact_status = 'merged' THEN 'merged into another person'
                   WHEN cand.contact_status = 'unsubscribed' THEN 'unsubscribed'
                   WHEN cand.contact_status = 'bounced' THEN 'bounced'
                   WHEN cand.contact_status <> 'active' THEN 'person ' || cand.contact_status
                   WHEN cand.email IS NULL THEN 'no email address'
                   WHEN coalesce(cand.email_status, 'gray') <> 'green'
                       THEN format('email not green (%s)', coalesce(cand.email_status, 'gray'))
                   WHEN EXISTS (SELECT 1 FROM pending d WHERE d.contact_id = cand.contact_id)
                       THEN 'duplicate pending review'
                   -- the campaign lookup runs only for people who passed every check above
                   ELSE (SELECT format('already in campaign “%s” (%s)', ca.name, ca.status)
                         FROM marketing.campaign_contact m
                         JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
                         WHERE m.contact_id = cand.contact_id
                           AND (ca.status <> 'completed'
                                OR (m.company_id = cand.company_id
                                    AND m.created_at >= cand.window_start))
                         ORDER BY ca.campaign_id DESC
                         LIMIT 1)
               END AS block_reason
        FROM cand
    ),
    ranked AS (
        SELECT checked.*,
               first_value(checked.company_name || ', ' || checked.role_code) OVER w AS first_holder,
               row_number() OVER w AS email_rank
        FROM checked
        WINDOW w AS (PARTITION BY lower(checked.email), checked.block_reason IS NULL
                     ORDER BY checked.company_id, checked.role_rank)
    )
    SELECT ranked.company_id, ranked.company_name, ranked.role_code, ranked.contact_id,
           ranked.full_name, ranked.email, ranked.email_status, ranked.contact_status,
           ranked.block_reason IS NULL AND ranked.email_rank = 1 AS included,
           CASE
               WHEN ranked.block_reason IS NOT NULL THEN ranked.block_reason
               WHEN ranked.email_rank > 1
                   THEN format('same email already included (%s)', ranked.first_holder)
               ELSE 'included'
           END AS reason
    FROM ranked
    ORDER BY ranked.company_name, ranked.company_id, ranked.role_rank
$$;

COMMENT ON FUNCTION marketing.campaign_preflight(bigint[], text[]) IS 'v3';
