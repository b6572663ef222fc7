-- company.slot_candidates_for (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Ranking: people whose title fits the slot's role and who are active come first (eligible),
-- then green email, then title confidence, then the most recently updated/verified record.
-- p_limit NULL returns every candidate; otherwise the first p_limit of each slot.
CREATE OR REPLACE FUNCTION company.slot_candidates_for(p_slot_ids bigint[], p_limit integer DEFAULT 20)
RETURNS TABLE (
    slot_id bigint,
    rank bigint,
    contact_id bigint,
    full_name text,
    title text,
    email text,
    email_status text,
    contact_status text,
    at_company boolean,
    role_code text,
    confidence numeric,
    eligible boolean,
    recency timestamptz,
    explanation text
)
LANGUAGE sql
STABLE
AS $$
    WITH c0 AS MATERIALIZED (
        SELECT s.company_slot_id AS slot_id, p.contact_id, p.full_name, p.title, p.email,
               coalesce(v.email_status, 'gray') AS email_status,
               p.status AS contact_status,
               coalesce(p.company_id = s.company_id, false) AS at_company,
               s.role_code AS slot_role,
               c.domain,
               greatest(p.updated_at, v.email_checked_at) AS recency
        FROM company.company_slot s
        JOIN company.company c ON c.company_id = s.company_id
        -- Whole rows from both index lookups (not ids joined back to people.contact): with an
        -- array of slots the planner cannot see how few people match and would hash-join the
        -- whole table.
        CROSS JOIN LATERAL (
            SELECT x.contact_id, x.full_name, x.title, x.email, x.status, x.company_id,
                   x.updated_at
            FROM people.contact x WHERE x.company_id = s.company_id
            UNION
            SELECT x.contact_id, x.full_name, x.title, x.email, x.status, x.company_id,
                   x.updated_at
            FROM people.contact x
            WHERE c.domain IS NOT NULL AND lower(split_part(x.email, '@', 2)) = c.domain
        ) p
        LEFT JOIN people.contact_verification v ON v.contact_id = p.contact_id
        WHERE s.company_slot_id = ANY (p_slot_ids)
          AND p.status <> 'merged'
          AND p.contact_id IS DISTINCT FROM s.contact_id),
    k AS MATERIALIZED (
        SELECT * FROM company.classify_titles(ARRAY(SELECT DISTINCT c0.title FROM c0))),
    q AS (
        SELECT c0.*,
               k.role_code AS title_role,
               k.reason AS title_reason,
               CASE WHEN k.role_code = c0.slot_role THEN c0.slot_role END AS role_code,
               coalesce(k.role_code = c0.slot_role, false) AS fits,
               CASE WHEN k.role_code = c0.slot_role THEN k.confidence ELSE 0 END AS confidence,
               coalesce(k.role_code = c0.slot_role, false) AND c0.contact_status = 'active'
                   AS eligible
        FROM c0 JOIN k ON k.title IS NOT DISTINCT FROM c0.title),
    ranked AS (
        SELECT q.*, row_number() OVER (
                   PARTITION BY q.slot_id
                   ORDER BY q.eligible DESC, q.fits DESC, (q.email_status = 'green') DESC,
                            q.confidence DESC, q.recency DESC NULLS LAST, q.contact_id) AS rank
        FROM q)
    SELECT r.slot_id, r.rank,
           r.contact_id, r.full_name, r.title, r.email, r.email_status, r.contact_status,
           r.at_company, r.role_code, r.confidence, r.eligible, r.recency,
           concat_ws('; ',
               CASE WHEN r.title_role IS NULL THEN r.title_reason
                    WHEN r.fits THEN r.title_reason || ' ' || to_char(r.confidence, 'FM0.00')
                    ELSE r.title_reason || ', not ' || r.slot_role END,
               'email ' || r.email_status,
               CASE WHEN r.at_company THEN 'at this company'
                    ELSE 'email @' || r.domain END,
               CASE WHEN r.contact_status <> 'active' THEN 'status ' || r.contact_status END)
    FROM ranked r
    WHERE p_limit IS NULL OR r.rank <= p_limit
    ORDER BY r.slot_id, r.rank
$$;

COMMENT ON FUNCTION company.slot_candidates_for(bigint[], integer) IS 'v1';

REVOKE EXECUTE ON FUNCTION company.slot_candidates_for(bigint[], integer) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION company.slot_candidates_for(bigint[], integer) TO outreach_app;
