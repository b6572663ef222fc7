-- 0002_f_promote_contacts: vault.f_promote_contacts(p_load_ids bigint[] DEFAULT NULL)
--   → TABLE(promoted_count int, updated_count int, failed_count int, message text)
--
-- Promotes pending raw loads (all of them when p_load_ids is NULL) in one transaction:
--   1. locks the loads (FOR UPDATE, in load_id order); loads that stopped being pending while
--      waiting are skipped;
--   2. marks loads whose email fails the format check 'failed' (metadata.failure_reason);
--   3. upserts vault.contacts by lower(email) (emails are stored trimmed and lower-cased, so the
--      unique index on email is the lower(email) key); an existing contact keeps a value wherever
--      the new load's is empty; no-op updates are skipped (WHERE ... IS DISTINCT FROM), so
--      promoted_count = contacts inserted, updated_count = contacts actually changed;
--   4. marks the loads 'promoted' (promoted_at, metadata.vault_contact_id);
--   5. carries every contact into the golden records:
--        company: by the host of website/company_website/domain, else (for an address that is
--          not free mail, see intake.free_mail_domain) by the email's domain, else by company
--          name (case-insensitive); a new company is named after the load's company, else its
--          domain, and gets its three slots (CEO, CFO, HR);
--        person: the live people.contact the vault contact is linked to, else the live one with
--          the same lower(email), else a new one (plus a 'gray' contact_verification row);
--          vault.contacts.people_contact_id is set;
--        slot: company.classify_title(title); a role with confidence >= 0.7 fills that company's
--          slot only if it is empty (several candidates for one slot: highest confidence, then
--          lowest load_id; a person already in one of the company's slots is not placed twice;
--          archived companies' slots are left alone);
--      with marketing.pipeline_events rows (company_created, contact_created, slot_filled);
--   6. writes one intake.audit_log row (action 'batch_promoted'); new companies carry its id in
--      promotion_audit_log_id.
-- Raw field names accepted: see intake.raw_load_fields (0002_intake_support.sql).
-- Set-based statements, no row loop, no EXCEPTION block (no subtransactions): any error rolls
-- the whole call back.
--
-- Who may call: mcp_promote (and its members, e.g. outreach_app).
-- Why SECURITY DEFINER: vault.contacts and intake.raw_loads accept writes only from the owner
-- vault_writer (RLS + grants). search_path is pinned and every name schema-qualified.

-- Per-email working set of a promotion (invoker rights; called only by f_promote_contacts).
-- Several loads of one email in one call are merged: the latest non-empty value wins.
CREATE OR REPLACE FUNCTION vault.f_promotion_work(p_load_ids bigint[])
RETURNS TABLE (
    email text,
    first_load_id bigint,
    last_load_id bigint,
    source text,
    full_name text,
    first_name text,
    last_name text,
    title text,
    phone text,
    linkedin_url text,
    company_name text,
    website text,
    custom_fields jsonb,
    company_key_type text,
    company_key text,
    company_id bigint,
    person_id bigint
)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH agg AS (
        SELECT f.email,
               pg_catalog.min(f.load_id) AS first_load_id,
               pg_catalog.max(f.load_id) AS last_load_id,
               (pg_catalog.array_agg(f.source ORDER BY f.load_id))[1] AS source,
               (pg_catalog.array_agg(f.full_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.full_name IS NOT NULL))[1] AS full_name,
               (pg_catalog.array_agg(f.first_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.first_name IS NOT NULL))[1] AS first_name,
               (pg_catalog.array_agg(f.last_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.last_name IS NOT NULL))[1] AS last_name,
               (pg_catalog.array_agg(f.title ORDER BY f.load_id DESC)
                    FILTER (WHERE f.title IS NOT NULL))[1] AS title,
               (pg_catalog.array_agg(f.phone ORDER BY f.load_id DESC)
                    FILTER (WHERE f.phone IS NOT NULL))[1] AS phone,
               (pg_catalog.array_agg(f.linkedin_url ORDER BY f.load_id DESC)
                    FILTER (WHERE f.linkedin_url IS NOT NULL))[1] AS linkedin_url,
               (pg_catalog.array_agg(f.company_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.company_name IS NOT NULL))[1] AS company_name,
               (pg_catalog.array_agg(f.website ORDER BY f.load_id DESC)
                    FILTER (WHERE f.web_domain IS NOT NULL))[1] AS website,
               (pg_catalog.array_agg(f.web_domain ORDER BY f.load_id DESC)
                    FILTER (WHERE f.web_domain IS NOT NULL))[1] AS web_domain,
               (pg_catalog.array_agg(f.custom_fields ORDER BY f.load_id DESC))[1] AS custom_fields,
               pg_catalog.bool_or(f.is_free_mail) AS is_free_mail,
               public.normalize_domain(pg_catalog.min(f.email_domain)) AS email_domain
        FROM intake.raw_load_fields f
        WHERE f.load_id = ANY (p_load_ids) AND f.email_valid
        GROUP BY f.email
    ),
    keyed AS (
        SELECT a.*,
               CASE WHEN a.web_domain IS NOT NULL OR NOT a.is_free_mail THEN 'domain'
                    WHEN a.company_name IS NOT NULL THEN 'name' END AS company_key_type,
               CASE WHEN a.web_domain IS NOT NULL THEN a.web_domain
                    WHEN NOT a.is_free_mail THEN a.email_domain
                    ELSE pg_catalog.lower(a.company_name) END AS company_key
        FROM agg a
    )
    SELECT k.email, k.first_load_id, k.last_load_id, k.source, k.full_name, k.first_name,
           k.last_name, k.title, k.phone, k.linkedin_url, k.company_name, k.website,
           k.custom_fields, k.company_key_type, k.company_key,
           CASE k.company_key_type
               WHEN 'domain' THEN (SELECT c.company_id FROM company.company c
                                   WHERE c.domain = k.company_key)
               WHEN 'name' THEN (SELECT pg_catalog.min(c.company_id) FROM company.company c
                                 WHERE pg_catalog.lower(c.company_name) = k.company_key)
           END AS company_id,
           coalesce(
               (SELECT p.contact_id FROM vault.contacts v
                JOIN people.contact p ON p.contact_id = v.people_contact_id
                WHERE v.email = k.email AND p.status <> 'merged'),
               (SELECT pg_catalog.min(p.contact_id) FROM people.contact p
                WHERE pg_catalog.lower(p.email) = k.email AND p.status <> 'merged')
           ) AS person_id
    FROM keyed k
$$;

COMMENT ON FUNCTION vault.f_promotion_work(bigint[]) IS 'v1';
REVOKE EXECUTE ON FUNCTION vault.f_promotion_work(bigint[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION vault.f_promote_contacts(p_load_ids bigint[] DEFAULT NULL)
RETURNS TABLE (promoted_count integer, updated_count integer, failed_count integer, message text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_ids bigint[];
    v_audit_id bigint;
    v_failed integer := 0;
    v_inserted integer := 0;
    v_updated integer := 0;
    v_contacts integer := 0;
    v_companies integer := 0;
    v_people integer := 0;
    v_slots integer := 0;
    v_batches text[];
    v_message text;
BEGIN
    -- 1. Lock the pending loads in primary-key order.
    SELECT coalesce(pg_catalog.array_agg(s.load_id ORDER BY s.load_id), '{}')
    INTO v_ids
    FROM (SELECT r.load_id
          FROM intake.raw_loads r
          WHERE r.status = 'pending'
            AND (p_load_ids IS NULL OR r.load_id = ANY (p_load_ids))
          ORDER BY r.load_id
          FOR UPDATE) AS s;

    SELECT pg_catalog.array_agg(DISTINCT r.batch_id ORDER BY r.batch_id)
    INTO v_batches
    FROM intake.raw_loads r
    WHERE r.load_id = ANY (v_ids);

    v_audit_id := pg_catalog.nextval('intake.audit_log_log_id_seq'::pg_catalog.regclass);

    -- 2. Loads whose email fails the format check.
    UPDATE intake.raw_loads r
    SET status = 'failed',
        metadata = r.metadata || pg_catalog.jsonb_build_object(
            'failure_reason',
            CASE WHEN coalesce(f.email, '') = '' THEN 'email is missing'
                 ELSE pg_catalog.format('invalid email format: %s', f.email) END,
            'failed_at', pg_catalog.now(),
            'audit_log_id', v_audit_id)
    FROM intake.raw_load_fields f
    WHERE f.load_id = r.load_id
      AND r.load_id = ANY (v_ids)
      AND NOT coalesce(f.email_valid, false);
    GET DIAGNOSTICS v_failed = ROW_COUNT;

    -- 3. Upsert the vault by email; keep existing values where the load's are empty.
    WITH up AS (
        INSERT INTO vault.contacts AS c
            (email, name, phone, company, title, source, custom_fields, load_id)
        SELECT w.email, w.full_name, w.phone, w.company_name, w.title, w.source,
               w.custom_fields, w.last_load_id
        FROM vault.f_promotion_work(v_ids) w
        ON CONFLICT (email) DO UPDATE
            SET name = coalesce(nullif(EXCLUDED.name, ''), c.name),
                phone = coalesce(nullif(EXCLUDED.phone, ''), c.phone),
                company = coalesce(nullif(EXCLUDED.company, ''), c.company),
                title = coalesce(nullif(EXCLUDED.title, ''), c.title),
                custom_fields = c.custom_fields || EXCLUDED.custom_fields,
                load_id = EXCLUDED.load_id,
                updated_at = pg_catalog.clock_timestamp()
            WHERE (c.name, c.phone, c.company, c.title, c.custom_fields)
                  IS DISTINCT FROM
                  (coalesce(nullif(EXCLUDED.name, ''), c.name),
                   coalesce(nullif(EXCLUDED.phone, ''), c.phone),
                   coalesce(nullif(EXCLUDED.company, ''), c.company),
                   coalesce(nullif(EXCLUDED.title, ''), c.title),
                   c.custom_fields || EXCLUDED.custom_fields)
        RETURNING (c.xmax = 0) AS inserted
    )
    SELECT pg_catalog.count(*) FILTER (WHERE up.inserted),
           pg_catalog.count(*) FILTER (WHERE NOT up.inserted)
    INTO v_inserted, v_updated
    FROM up;

    -- 4. Mark the loads promoted.
    UPDATE intake.raw_loads r
    SET status = 'promoted',
        promoted_at = pg_catalog.now(),
        metadata = r.metadata || pg_catalog.jsonb_build_object(
            'vault_contact_id', c.contact_id, 'audit_log_id', v_audit_id)
    FROM intake.raw_load_fields f
    JOIN vault.contacts c ON c.email = f.email
    WHERE f.load_id = r.load_id
      AND r.load_id = ANY (v_ids)
      AND f.email_valid;
    GET DIAGNOSTICS v_contacts = ROW_COUNT;

    -- 5a. Serialise with concurrent promotions creating the same companies (sorted keys).
    PERFORM pg_catalog.count(pg_catalog.pg_advisory_xact_lock(
                pg_catalog.hashtext('vault.f_promote_contacts:company'), pg_catalog.hashtext(k.key)))
    FROM (SELECT DISTINCT w.company_key_type || ':' || w.company_key AS key
          FROM vault.f_promotion_work(v_ids) w
          WHERE w.company_key IS NOT NULL AND w.company_id IS NULL
          ORDER BY 1) AS k;

    -- 5b. Create the missing companies with their three slots.
    WITH missing AS (
        SELECT w.company_key_type, w.company_key,
               coalesce((pg_catalog.array_agg(w.company_name ORDER BY w.first_load_id)
                             FILTER (WHERE w.company_name IS NOT NULL))[1],
                        w.company_key) AS company_name,
               (pg_catalog.array_agg(w.website ORDER BY w.first_load_id)
                    FILTER (WHERE public.normalize_domain(w.website) = w.company_key))[1]
                   AS website_url,
               (pg_catalog.array_agg(w.source ORDER BY w.first_load_id))[1] AS source,
               pg_catalog.min(w.first_load_id) AS first_load_id
        FROM vault.f_promotion_work(v_ids) w
        WHERE w.company_key IS NOT NULL AND w.company_id IS NULL
        GROUP BY w.company_key_type, w.company_key
    ),
    created AS (
        INSERT INTO company.company
            (company_name, domain, website_url, source_system, source_record_id,
             promoted_from_intake_at, promotion_audit_log_id)
        SELECT m.company_name,
               CASE WHEN m.company_key_type = 'domain' THEN m.company_key END,
               m.website_url, m.source, 'intake.raw_loads:' || m.first_load_id,
               pg_catalog.now(), v_audit_id
        FROM missing m
        ORDER BY m.first_load_id
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
                   'via', 'vault.f_promote_contacts', 'audit_log_id', v_audit_id,
                   'slots_created', (SELECT pg_catalog.count(*) FROM slots))
        FROM created c
        RETURNING 1
    )
    SELECT pg_catalog.count(*) INTO v_companies FROM events;

    -- 5c. Find or create the people.
    WITH created AS (
        INSERT INTO people.contact
            (full_name, first_name, last_name, title, email, phone, linkedin_url, company_id,
             source_system, source_record_id, promoted_from_intake_at)
        SELECT coalesce(w.full_name, w.email), w.first_name, w.last_name, w.title, w.email,
               w.phone, w.linkedin_url, w.company_id, w.source,
               'intake.raw_loads:' || w.first_load_id, pg_catalog.now()
        FROM vault.f_promotion_work(v_ids) w
        WHERE w.person_id IS NULL
        ORDER BY w.first_load_id
        ON CONFLICT ((pg_catalog.lower(email))) WHERE (NOT (status = 'merged')) DO NOTHING
        RETURNING contact_id, unique_id, email, company_id, source_record_id
    ),
    verification AS (
        INSERT INTO people.contact_verification (contact_id, email_status)
        SELECT c.contact_id, 'gray' FROM created c
        RETURNING 1
    ),
    events AS (
        INSERT INTO marketing.pipeline_events (event_type, entity_type, entity_id, event_data)
        SELECT 'contact_created', 'person', c.unique_id,
               pg_catalog.jsonb_build_object(
                   'contact_id', c.contact_id, 'email', c.email, 'company_id', c.company_id,
                   'source_record_id', c.source_record_id, 'via', 'vault.f_promote_contacts',
                   'audit_log_id', v_audit_id,
                   'verification_rows', (SELECT pg_catalog.count(*) FROM verification))
        FROM created c
        RETURNING 1
    )
    SELECT pg_catalog.count(*) INTO v_people FROM events;

    -- 5d. Link the vault contacts to their golden records.
    UPDATE vault.contacts c
    SET people_contact_id = w.person_id,
        updated_at = pg_catalog.clock_timestamp()
    FROM vault.f_promotion_work(v_ids) w
    WHERE c.email = w.email
      AND w.person_id IS NOT NULL
      AND c.people_contact_id IS DISTINCT FROM w.person_id;

    -- 5e. Fill empty slots from the classified titles.
    WITH classified AS (
        SELECT w.company_id, w.person_id, w.first_load_id, w.title,
               ct.role_code, ct.confidence, ct.reason
        FROM vault.f_promotion_work(v_ids) w
        CROSS JOIN LATERAL company.classify_title(w.title) AS ct
        WHERE w.company_id IS NOT NULL
          AND w.person_id IS NOT NULL
          AND w.title IS NOT NULL
          AND ct.role_code IS NOT NULL
          AND ct.confidence >= 0.7
    ),
    pick AS (
        SELECT DISTINCT ON (cl.company_id, cl.role_code) cl.*
        FROM classified cl
        JOIN company.company co ON co.company_id = cl.company_id AND co.status <> 'archived'
        JOIN company.company_slot s
          ON s.company_id = cl.company_id AND s.role_code = cl.role_code AND s.contact_id IS NULL
        WHERE NOT EXISTS (SELECT 1 FROM company.company_slot s2
                          WHERE s2.company_id = cl.company_id AND s2.contact_id = cl.person_id)
        ORDER BY cl.company_id, cl.role_code, cl.confidence DESC, cl.first_load_id
    ),
    filled AS (
        UPDATE company.company_slot s
        SET contact_id = p.person_id
        FROM pick p
        WHERE s.company_id = p.company_id
          AND s.role_code = p.role_code
          AND s.contact_id IS NULL
        RETURNING s.company_slot_id, s.company_slot_unique_id, s.company_id, s.role_code,
                  s.contact_id, p.title, p.confidence, p.reason, p.first_load_id
    ),
    events AS (
        INSERT INTO marketing.pipeline_events (event_type, entity_type, entity_id, event_data)
        SELECT 'slot_filled', 'company', co.company_unique_id,
               pg_catalog.jsonb_build_object(
                   'company_id', f.company_id, 'company_slot_id', f.company_slot_id,
                   'company_slot_unique_id', f.company_slot_unique_id,
                   'role_code', f.role_code, 'contact_id', f.contact_id,
                   'person_unique_id', p.unique_id, 'title', f.title,
                   'confidence', f.confidence, 'reason', f.reason, 'load_id', f.first_load_id,
                   'via', 'vault.f_promote_contacts', 'audit_log_id', v_audit_id)
        FROM filled f
        JOIN company.company co ON co.company_id = f.company_id
        JOIN people.contact p ON p.contact_id = f.contact_id
        RETURNING 1
    )
    SELECT pg_catalog.count(*) INTO v_slots FROM events;

    -- 6. Audit.
    v_message := pg_catalog.format(
        'promoted=%s updated=%s unchanged=%s failed=%s companies_created=%s contacts_created=%s '
        'slots_filled=%s',
        v_inserted, v_updated,
        (SELECT pg_catalog.count(DISTINCT f.email) FROM intake.raw_load_fields f
         WHERE f.load_id = ANY (v_ids) AND f.email_valid) - v_inserted - v_updated,
        v_failed, v_companies, v_people, v_slots);
    IF p_load_ids IS NOT NULL
       AND pg_catalog.cardinality(p_load_ids) > pg_catalog.cardinality(v_ids) THEN
        v_message := v_message || pg_catalog.format(' not_pending=%s',
            (SELECT pg_catalog.count(DISTINCT x) FROM pg_catalog.unnest(p_load_ids) AS x)
            - pg_catalog.cardinality(v_ids));
    END IF;

    INSERT INTO intake.audit_log (log_id, action, user_name, batch_id, record_count, details)
    VALUES (v_audit_id, 'batch_promoted',
            coalesce(nullif(pg_catalog.current_setting('outreach.actor', true), ''),
                     session_user::text),
            CASE WHEN pg_catalog.cardinality(v_batches) = 1 THEN v_batches[1] END,
            pg_catalog.cardinality(v_ids),
            pg_catalog.jsonb_build_object(
                'requested_load_ids', p_load_ids,
                'load_ids', pg_catalog.to_jsonb(v_ids),
                'batch_ids', pg_catalog.to_jsonb(coalesce(v_batches, '{}')),
                'promoted', v_inserted, 'updated', v_updated, 'failed', v_failed,
                'loads_promoted', v_contacts, 'companies_created', v_companies,
                'contacts_created', v_people, 'slots_filled', v_slots,
                'db_user', session_user::text));

    promoted_count := v_inserted;
    updated_count := v_updated;
    failed_count := v_failed;
    message := v_message;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION vault.f_promote_contacts(bigint[]) IS 'v1';
REVOKE EXECUTE ON FUNCTION vault.f_promote_contacts(bigint[]) FROM PUBLIC;
GRANT CREATE ON SCHEMA vault TO vault_writer;  -- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION vault.f_promotion_work(bigint[]) OWNER TO vault_writer;
ALTER FUNCTION vault.f_promote_contacts(bigint[]) OWNER TO vault_writer;
REVOKE CREATE ON SCHEMA vault FROM vault_writer;
GRANT EXECUTE ON FUNCTION vault.f_promote_contacts(bigint[]) TO mcp_promote;
