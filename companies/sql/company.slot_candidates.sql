-- company.slot_candidates (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
