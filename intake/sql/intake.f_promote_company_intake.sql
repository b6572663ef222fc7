-- intake.f_promote_company_intake (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- intake 0090 (issue 19): the audit/summary actor is public.current_actor(), which honours
-- outreach.actor only when sealed by public.set_actor (a plain or session-level SET of the
-- setting names the login instead); no other change.
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
            public.current_actor(),
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

COMMENT ON FUNCTION intake.f_promote_company_intake(bigint[]) IS 'v2';

REVOKE EXECUTE ON FUNCTION intake.f_promote_company_intake(bigint[]) FROM PUBLIC;

ALTER FUNCTION intake.f_promote_company_intake(bigint[]) OWNER TO intake_writer;

GRANT EXECUTE ON FUNCTION intake.f_promote_company_intake(bigint[]) TO mcp_promote;
