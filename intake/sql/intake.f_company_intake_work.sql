-- intake.f_company_intake_work (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0002_f_promote_company_intake: intake.f_promote_company_intake(p_intake_ids bigint[] DEFAULT NULL)
--   → TABLE(promoted_count int, rejected_count int, message text)
--
-- Promotes pending intake.company_raw_intake rows (all of them when p_intake_ids is NULL):
--   * locks them (FOR UPDATE, intake_id order);
--   * rejects rows with a blank company_name, a renewal_month outside 1..12 or a negative
--     employee_count: validation_status 'rejected', validation_errors = array of messages;
--   * finds the company by the host of website (company.company.domain), else by company name
--     (case-insensitive), else creates it with its three slots (CEO, CFO, HR) and a
--     marketing.pipeline_events 'company_created' row; rows of one call with the same key share
--     one company (the lowest intake_id's values are used);
--   * sets promoted_to_unique_id (the company's Barton ID), validation_status 'promoted',
--     validated_at;
--   * writes one intake.audit_log row ('company_intake_promoted').
-- Set-based, no EXCEPTION block. promoted_count counts intake rows promoted (new or matched
-- company); the message also gives companies_created and matched_existing.
-- Who may call: mcp_promote (and its members, e.g. outreach_app).
-- Why SECURITY DEFINER: the caller holds no write grant on company_raw_intake's status columns or
-- on the promotion bookkeeping; the owner intake_writer holds exactly those. search_path pinned,
-- names schema-qualified.

-- Company key of each valid pending intake row (invoker rights; called only by the function).
CREATE OR REPLACE FUNCTION intake.f_company_intake_work(p_intake_ids bigint[])
RETURNS TABLE (
    intake_id bigint,
    company_name text,
    website text,
    company_key_type text,
    company_key text,
    company_id bigint
)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH keyed AS (
        SELECT i.intake_id,
               pg_catalog.btrim(i.company_name) AS company_name,
               nullif(pg_catalog.btrim(i.website), '') AS website,
               CASE WHEN public.normalize_domain(i.website) IS NOT NULL THEN 'domain'
                    ELSE 'name' END AS company_key_type,
               coalesce(public.normalize_domain(i.website),
                        pg_catalog.lower(pg_catalog.btrim(i.company_name))) AS company_key
        FROM intake.company_raw_intake i
        WHERE i.intake_id = ANY (p_intake_ids)
    )
    SELECT k.intake_id, k.company_name, k.website, k.company_key_type, k.company_key,
           CASE k.company_key_type
               WHEN 'domain' THEN (SELECT c.company_id FROM company.company c
                                   WHERE c.domain = k.company_key)
               ELSE (SELECT pg_catalog.min(c.company_id) FROM company.company c
                     WHERE pg_catalog.lower(c.company_name) = k.company_key)
           END
    FROM keyed k
$$;

COMMENT ON FUNCTION intake.f_company_intake_work(bigint[]) IS 'v1';

REVOKE EXECUTE ON FUNCTION intake.f_company_intake_work(bigint[]) FROM PUBLIC;

-- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION intake.f_company_intake_work(bigint[]) OWNER TO intake_writer;
