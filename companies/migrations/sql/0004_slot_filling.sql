-- 0004_slot_filling: what slot filling needs from the database (issue 4).
--   * company.trigger_history v2: a slot change also records the coordinator's reason, read from
--     the transaction-local setting `outreach.reason` that companies.services sets just before the
--     UPDATE and clears right after (the reason lands in history.new_values->'reason', next to the
--     change and the actor, so the timeline shows who, when and why in one row).
--   * company.slot_candidates(slot_id, limit): THE ranked, explained candidate list of a slot —
--     people employed at the company plus people whose email domain is the company's domain,
--     scored by company.classify_title for the slot's role. The slot page, the open-slot queue
--     (count and top candidate) and bulk fill all read it, so the ranking has one definition.
--   * an expression index on the email domain of people.contact so the domain half of the
--     candidate lookup stays an index scan at 100k+ people.
-- Run by the schema owner. slot_candidates is SECURITY INVOKER (the app role reads with its own
-- grants) and has no SET clause so the planner may inline it; every name is schema-qualified.

CREATE OR REPLACE FUNCTION company.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_keys text[] := public.jsonb_changed_keys(v_old, v_new);
    v_row jsonb := coalesce(v_new, v_old);
    v_new_values jsonb;
    v_reason text := nullif(btrim(current_setting('outreach.reason', true)), '');
BEGIN
    IF TG_OP = 'UPDATE' AND cardinality(v_keys) = 0 THEN
        RETURN NULL;
    END IF;
    v_new_values := public.jsonb_pick(v_new, v_keys);
    IF TG_TABLE_NAME = 'company_slot' AND v_reason IS NOT NULL THEN
        v_new_values := v_new_values || jsonb_build_object('reason', v_reason);
    END IF;
    INSERT INTO company.history (company_id, company_slot_id, table_name, action,
                                 changed_fields, old_values, new_values, changed_by, changed_at)
    VALUES ((v_row ->> 'company_id')::bigint,
            (v_row ->> 'company_slot_id')::bigint,
            TG_TABLE_NAME, lower(TG_OP), to_jsonb(v_keys),
            public.jsonb_pick(v_old, v_keys), v_new_values,
            public.current_actor(), clock_timestamp());
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION company.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION company.trigger_history() IS 'v2';

CREATE INDEX IF NOT EXISTS contact_email_domain_idx
    ON people.contact (lower(split_part(email, '@', 2)));

-- Ranking: people whose title fits the slot's role and who are active come first (eligible),
-- then green email, then title confidence, then the most recently updated/verified record.
-- p_limit NULL returns every candidate.
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
