-- Reverse of 0007_set_based_candidates: the per-title classifier and per-slot ranking of
-- 0003/0004 come back (bodies copied from those scripts), the set-based functions go.

CREATE OR REPLACE FUNCTION company.classify_title(p_title text)
RETURNS TABLE (role_code text, confidence numeric, reason text)
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH t AS (SELECT lower(btrim(coalesce(p_title, ''))) AS title),
    ex AS (
        SELECT r.label FROM company.title_rule r, t
        WHERE r.kind = 'exclude' AND t.title ~ r.pattern ORDER BY r.rule_id LIMIT 1),
    inc AS (
        SELECT r.role_code, r.weight, r.label FROM company.title_rule r, t
        WHERE r.kind = 'include' AND t.title ~ r.pattern
        ORDER BY r.weight DESC, r.rule_id LIMIT 1),
    md AS (
        SELECT coalesce(exp(sum(ln(r.weight))), 1) AS factor FROM company.title_rule r, t
        WHERE r.kind = 'modifier' AND t.title ~ r.pattern)
    SELECT
        CASE WHEN ex.label IS NULL THEN inc.role_code END,
        CASE WHEN ex.label IS NULL AND inc.role_code IS NOT NULL
             THEN round(inc.weight * md.factor, 2) ELSE 0 END,
        CASE WHEN t.title = '' THEN 'no title'
             WHEN ex.label IS NOT NULL THEN format('title %L → no role (%s)', p_title, ex.label)
             WHEN inc.role_code IS NULL THEN format('title %L → no role', p_title)
             ELSE format('title %L → %s (%s)', p_title, inc.role_code, inc.label) END
    FROM t CROSS JOIN md LEFT JOIN ex ON true LEFT JOIN inc ON true
$$;
COMMENT ON FUNCTION company.classify_title(text) IS 'v1';

CREATE OR REPLACE FUNCTION company.slot_candidates(p_slot_id bigint, p_limit integer DEFAULT 20)
RETURNS TABLE (
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
    SELECT row_number() OVER w,
           q.contact_id, q.full_name, q.title, q.email, q.email_status, q.contact_status,
           q.at_company, q.role_code, q.confidence, q.eligible, q.recency,
           concat_ws('; ',
               CASE WHEN q.title_role IS NULL THEN q.title_reason
                    WHEN q.fits THEN q.title_reason || ' ' || to_char(q.confidence, 'FM0.00')
                    ELSE q.title_reason || ', not ' || q.slot_role END,
               'email ' || q.email_status,
               CASE WHEN q.at_company THEN 'at this company'
                    ELSE 'email @' || q.domain END,
               CASE WHEN q.contact_status <> 'active' THEN 'status ' || q.contact_status END)
    FROM (
        SELECT p.contact_id, p.full_name, p.title, p.email,
               coalesce(v.email_status, 'gray') AS email_status,
               p.status AS contact_status,
               coalesce(p.company_id = s.company_id, false) AS at_company,
               k.role_code AS title_role,
               k.reason AS title_reason,
               s.role_code AS slot_role,
               c.domain,
               CASE WHEN k.role_code = s.role_code THEN s.role_code END AS role_code,
               coalesce(k.role_code = s.role_code, false) AS fits,
               CASE WHEN k.role_code = s.role_code THEN k.confidence ELSE 0 END AS confidence,
               coalesce(k.role_code = s.role_code, false) AND p.status = 'active' AS eligible,
               greatest(p.updated_at, v.email_checked_at) AS recency
        FROM company.company_slot s
        JOIN company.company c ON c.company_id = s.company_id
        CROSS JOIN LATERAL (
            SELECT x.contact_id FROM people.contact x WHERE x.company_id = s.company_id
            UNION
            SELECT x.contact_id FROM people.contact x
            WHERE c.domain IS NOT NULL AND lower(split_part(x.email, '@', 2)) = c.domain
        ) ids
        JOIN people.contact p ON p.contact_id = ids.contact_id
        LEFT JOIN people.contact_verification v ON v.contact_id = p.contact_id
        CROSS JOIN LATERAL company.classify_title(p.title) k
        WHERE s.company_slot_id = p_slot_id
          AND p.status <> 'merged'
          AND p.contact_id IS DISTINCT FROM s.contact_id
    ) q
    WINDOW w AS (ORDER BY q.eligible DESC, q.fits DESC, (q.email_status = 'green') DESC,
                 q.confidence DESC, q.recency DESC NULLS LAST, q.contact_id)
    ORDER BY row_number() OVER w
    LIMIT p_limit
$$;
COMMENT ON FUNCTION company.slot_candidates(bigint, integer) IS 'v1';
REVOKE EXECUTE ON FUNCTION company.slot_candidates(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION company.slot_candidates(bigint, integer) TO outreach_app;

DROP FUNCTION IF EXISTS company.slot_candidates_for(bigint[], integer);
DROP FUNCTION IF EXISTS company.classify_titles(text[]);
DROP INDEX IF EXISTS company.company_name_keyset_idx;
