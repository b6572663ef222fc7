-- company.classify_titles (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
