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

CREATE OR REPLACE FUNCTION intake.f_promote_company_intake(p_intake_ids bigint[] DEFAULT NULL)
RETURNS TABLE (promoted_count integer, rejected_count integer, message text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_ids bigint[];
    v_valid bigint[];
    v_audit_id bigint;
    v_rejected integer := 0;
    v_promoted integer := 0;
    v_created integer := 0;
BEGIN
    SELECT coalesce(pg_catalog.array_agg(s.intake_id ORDER BY s.intake_id), '{}')
    INTO v_ids
    FROM (SELECT i.intake_id
          FROM intake.company_raw_intake i
          WHERE i.validation_status = 'pending'
            AND (p_intake_ids IS NULL OR i.intake_id = ANY (p_intake_ids))
          ORDER BY i.intake_id
          FOR UPDATE) AS s;

    v_audit_id := pg_catalog.nextval('intake.audit_log_log_id_seq'::pg_catalog.regclass);

    -- Validation.
    WITH errors AS (
        SELECT i.intake_id,
               pg_catalog.array_remove(ARRAY[
                   CASE WHEN coalesce(pg_catalog.btrim(i.company_name), '') = ''
                        THEN 'company_name is blank' END,
                   CASE WHEN i.renewal_month IS NOT NULL AND i.renewal_month NOT BETWEEN 1 AND 12
                        THEN pg_catalog.format('renewal_month %s is not between 1 and 12',
                                               i.renewal_month) END,
                   CASE WHEN i.employee_count < 0
                        THEN pg_catalog.format('employee_count %s is negative',
                                               i.employee_count) END
               ], NULL) AS errs
        FROM intake.company_raw_intake i
        WHERE i.intake_id = ANY (v_ids)
    ),
    rejected AS (
        UPDATE intake.company_raw_intake i
        SET validation_status = 'rejected',
            validation_errors = pg_catalog.to_jsonb(e.errs),
            validated_at = pg_catalog.now()
        FROM errors e
        WHERE e.intake_id = i.intake_id AND pg_catalog.cardinality(e.errs) > 0
        RETURNING i.intake_id
    )
    SELECT pg_catalog.count(*)::integer,
           (SELECT coalesce(pg_catalog.array_agg(e.intake_id ORDER BY e.intake_id), '{}')
            FROM errors e WHERE pg_catalog.cardinality(e.errs) = 0)
    INTO v_rejected, v_valid
    FROM rejected;

    -- Serialise with concurrent promotions creating the same companies (sorted keys).
    PERFORM pg_catalog.count(pg_catalog.pg_advisory_xact_lock(
                pg_catalog.hashtext('vault.f_promote_contacts:company'), pg_catalog.hashtext(k.key)))
    FROM (SELECT DISTINCT w.company_key_type || ':' || w.company_key AS key
          FROM intake.f_company_intake_work(v_valid) w
          WHERE w.company_id IS NULL
          ORDER BY 1) AS k;

    -- Create the missing companies with their three slots.
    WITH missing AS (
        SELECT DISTINCT ON (w.company_key_type, w.company_key)
               w.intake_id, w.company_key_type, w.company_key
        FROM intake.f_company_intake_work(v_valid) w
        WHERE w.company_id IS NULL
        ORDER BY w.company_key_type, w.company_key, w.intake_id
    ),
    created AS (
        INSERT INTO company.company
            (company_name, domain, website_url, linkedin_url, industry, employee_count, city,
             state_region, country, renewal_month, source_system, source_record_id,
             promoted_from_intake_at, promotion_audit_log_id)
        SELECT pg_catalog.btrim(i.company_name),
               CASE WHEN m.company_key_type = 'domain' THEN m.company_key END,
               nullif(pg_catalog.btrim(i.website), ''),
               nullif(pg_catalog.btrim(i.linkedin_url), ''),
               nullif(pg_catalog.btrim(i.industry), ''),
               i.employee_count,
               nullif(pg_catalog.btrim(i.city), ''),
               nullif(pg_catalog.btrim(i.state), ''),
               nullif(pg_catalog.btrim(i.country), ''),
               i.renewal_month,
               coalesce(nullif(pg_catalog.btrim(i.source), ''), 'manual'),
               'intake.company_raw_intake:' || i.intake_id,
               pg_catalog.now(),
               v_audit_id
        FROM missing m
        JOIN intake.company_raw_intake i ON i.intake_id = m.intake_id
        ORDER BY m.intake_id
        ON CONFLICT (domain) DO NOTHING
        RETURNING company_id, company_unique_id, company_name, domain, source_system
    ),
    slots AS (
        INSERT INTO company.company_slot (company_id, role_code)
        SELECT c.company_id, r.role_code
        FROM created c
        CROSS JOIN (VALUES ('CEO'), ('CFO'), ('HR')) AS r(role_code)
        RETURNING 1
    ),
    events AS (
        INSERT INTO marketing.pipeline_events (event_type, entity_type, entity_id, event_data)
        SELECT 'company_created', 'company', c.company_unique_id,
               pg_catalog.jsonb_build_object(
                   'company_id', c.company_id, 'company_name', c.company_name,
                   'domain', c.domain, 'source', c.source_system,
                   'via', 'intake.f_promote_company_intake', 'audit_log_id', v_audit_id,
                   'slots_created', (SELECT pg_catalog.count(*) FROM slots))
        FROM created c
        RETURNING 1
    )
    SELECT pg_catalog.count(*) INTO v_created FROM events;

    -- Mark the valid rows promoted, naming their company.
    UPDATE intake.company_raw_intake i
    SET validation_status = 'promoted',
        promoted_to_unique_id = c.company_unique_id,
        validation_errors = NULL,
        validated_at = pg_catalog.now()
    FROM intake.f_company_intake_work(v_valid) w
    JOIN company.company c ON c.company_id = w.company_id
    WHERE w.intake_id = i.intake_id;
    GET DIAGNOSTICS v_promoted = ROW_COUNT;

    message := pg_catalog.format(
        'promoted=%s rejected=%s companies_created=%s matched_existing=%s',
        v_promoted, v_rejected, v_created, v_promoted - (
            SELECT pg_catalog.count(*) FROM intake.company_raw_intake i
            JOIN company.company c ON c.company_unique_id = i.promoted_to_unique_id
            WHERE i.intake_id = ANY (v_valid) AND c.promotion_audit_log_id = v_audit_id));

    INSERT INTO intake.audit_log (log_id, action, user_name, record_count, details)
    VALUES (v_audit_id, 'company_intake_promoted',
            coalesce(nullif(pg_catalog.current_setting('outreach.actor', true), ''),
                     session_user::text),
            pg_catalog.cardinality(v_ids),
            pg_catalog.jsonb_build_object(
                'requested_intake_ids', p_intake_ids,
                'intake_ids', pg_catalog.to_jsonb(v_ids),
                'promoted', v_promoted, 'rejected', v_rejected,
                'companies_created', v_created, 'message', message,
                'db_user', session_user::text));

    promoted_count := v_promoted;
    rejected_count := v_rejected;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION intake.f_promote_company_intake(bigint[]) IS 'v1';
REVOKE EXECUTE ON FUNCTION intake.f_promote_company_intake(bigint[]) FROM PUBLIC;
GRANT CREATE ON SCHEMA intake TO intake_writer;  -- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION intake.f_company_intake_work(bigint[]) OWNER TO intake_writer;
ALTER FUNCTION intake.f_promote_company_intake(bigint[]) OWNER TO intake_writer;
REVOKE CREATE ON SCHEMA intake FROM intake_writer;
GRANT EXECUTE ON FUNCTION intake.f_promote_company_intake(bigint[]) TO mcp_promote;
