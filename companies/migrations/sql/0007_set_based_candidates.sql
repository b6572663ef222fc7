-- 0007_set_based_candidates: classify many titles and rank candidates of many slots at once;
-- an index for the company list's keyset order.
--
-- Why: company.classify_title matches a title against every company.title_rule pattern. There
-- are more rules (39) than PostgreSQL keeps compiled regular expressions per backend (32), so
-- calling it once per title recompiles every pattern on every call (~4 ms a call). The open-slot
-- queue summarised 50 slots through slot_candidates, i.e. one classify_title call per
-- (slot, candidate) pair: 216 calls, ~1.4 s at size S (issue 11, B5).
--
--   * company.classify_titles(text[]): THE classifier, set-based. The rules are the outer loop
--     (each pattern compiled once per call) and the distinct titles the inner one.
--     company.classify_title(text) is now a thin wrapper over it, so the rules have one reading.
--   * company.slot_candidates_for(bigint[], integer): THE candidate ranking for many slots in
--     one statement (classifying the distinct titles of all their candidates in one
--     classify_titles call). company.slot_candidates(bigint, integer) is now a wrapper over it.
--
-- Run by the schema owner. All four functions are SECURITY INVOKER (callers read title_rule,
-- people and slots with their own grants); every name is schema-qualified. Signatures of the
-- two existing functions are unchanged (CREATE OR REPLACE), so callers need no change.

CREATE OR REPLACE FUNCTION company.classify_titles(p_titles text[])
RETURNS TABLE (title text, role_code text, confidence numeric, reason text)
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH t AS MATERIALIZED (
        SELECT row_number() OVER () AS id, d.raw, lower(btrim(coalesce(d.raw, ''))) AS norm
        FROM (SELECT DISTINCT u.raw FROM unnest(p_titles) AS u(raw)) d),
    -- OFFSET 0 keeps the lateral subquery from being flattened into a join the planner could
    -- reorder: each rule's pattern must be the outer row so it is compiled once.
    hit AS MATERIALIZED (
        SELECT h.id, r.rule_id, r.kind, r.role_code, r.weight, r.label
        FROM company.title_rule r
        CROSS JOIN LATERAL (SELECT t.id FROM t WHERE t.norm ~ r.pattern OFFSET 0) h),
    ex AS (
        SELECT DISTINCT ON (hit.id) hit.id, hit.label FROM hit
        WHERE hit.kind = 'exclude' ORDER BY hit.id, hit.rule_id),
    inc AS (
        SELECT DISTINCT ON (hit.id) hit.id, hit.role_code, hit.weight, hit.label FROM hit
        WHERE hit.kind = 'include' ORDER BY hit.id, hit.weight DESC, hit.rule_id),
    md AS (
        SELECT hit.id, exp(sum(ln(hit.weight))) AS factor FROM hit
        WHERE hit.kind = 'modifier' GROUP BY hit.id)
    SELECT
        t.raw,
        CASE WHEN ex.label IS NULL THEN inc.role_code END,
        CASE WHEN ex.label IS NULL AND inc.role_code IS NOT NULL
             THEN round(inc.weight * coalesce(md.factor, 1), 2) ELSE 0 END,
        CASE WHEN t.norm = '' THEN 'no title'
             WHEN ex.label IS NOT NULL THEN format('title %L → no role (%s)', t.raw, ex.label)
             WHEN inc.role_code IS NULL THEN format('title %L → no role', t.raw)
             ELSE format('title %L → %s (%s)', t.raw, inc.role_code, inc.label) END
    FROM t
    LEFT JOIN ex ON ex.id = t.id
    LEFT JOIN inc ON inc.id = t.id
    LEFT JOIN md ON md.id = t.id
$$;
COMMENT ON FUNCTION company.classify_titles(text[]) IS 'v1';

CREATE OR REPLACE FUNCTION company.classify_title(p_title text)
RETURNS TABLE (role_code text, confidence numeric, reason text)
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.role_code, k.confidence, k.reason FROM company.classify_titles(ARRAY[p_title]) k
$$;
COMMENT ON FUNCTION company.classify_title(text) IS 'v2';

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
    SELECT x.rank, x.contact_id, x.full_name, x.title, x.email, x.email_status,
           x.contact_status, x.at_company, x.role_code, x.confidence, x.eligible, x.recency,
           x.explanation
    FROM company.slot_candidates_for(ARRAY[p_slot_id], p_limit) x
    ORDER BY x.rank
$$;
COMMENT ON FUNCTION company.slot_candidates(bigint, integer) IS 'v2';
REVOKE EXECUTE ON FUNCTION company.slot_candidates(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION company.slot_candidates(bigint, integer) TO outreach_app;

-- The company list's keyset order (company_name, company_id) (outreach_admin/pagination.py):
-- a matching btree lets a page, at any depth, be an index range scan instead of a sort of the
-- filtered table (issue 11, B1/B2).
CREATE INDEX IF NOT EXISTS company_name_keyset_idx ON company.company (company_name, company_id);
