-- vault.f_promote_contacts (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0006_f_promote_contacts_v2: vault.f_promote_contacts v2 — the same contract and results as v1
-- (0002_f_promote_contacts: steps, counts, message, audit row, events, grants), set-based at
-- scale.
--
-- Why (measured at S, 2,000 loads: 8.6 s; 10,000 loads did not finish in 3 minutes):
--   * step 5e called company.classify_title once per contact: 39 regex rules, more than the 32
--     compiled regexes PostgreSQL caches, so every call recompiled them (~3-5 ms a call, 6.0 s of
--     the 8.6 s). v2 classifies the DISTINCT titles in one company.classify_titles(text[]) call
--     (companies 0007, the same classifier) and joins;
--   * vault.f_promotion_work (per-email aggregate + correlated company/person look-ups) was
--     evaluated six times. v2 computes the loads and the per-email work set once into two
--     transaction-local temp tables (ANALYZEd), and refreshes only company_id after the
--     companies are created and person_id after the people are;
--   * 5a took one advisory lock per new company key: 100,000 keys overflow the lock table
--     ("out of shared memory", as f_ingest_json v1 did). v2 locks buckets of key hashes (1,024,
--     sorted), like f_ingest_json v2: two promotions sharing a bucket wait for each other.
-- Set-based statements, no row loop, no EXCEPTION block (no subtransactions).
--
-- SECURITY DEFINER owned by vault_writer as v1; search_path pinned (pg_catalog, pg_temp), every
-- permanent name schema-qualified, the temp tables named pg_temp.*. Idempotent.

CREATE OR REPLACE FUNCTION vault.f_promote_contacts(p_load_ids bigint[] DEFAULT NULL)
RETURNS TABLE (promoted_count integer, updated_count integer, failed_count integer, message text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c_lock_space CONSTANT integer := pg_catalog.hashtext('vault.f_promote_contacts:company');
    c_buckets CONSTANT integer := 1024;
    v_ids bigint[];
    v_audit_id bigint;
    v_failed integer := 0;
    v_inserted integer := 0;
    v_updated integer := 0;
    v_contacts integer := 0;
    v_companies integer := 0;
    v_people integer := 0;
    v_slots integer := 0;
    v_valid_emails integer := 0;
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

    v_audit_id := pg_catalog.nextval('intake.audit_log_log_id_seq'::pg_catalog.regclass);

    -- The loads' fields, once (intake.raw_load_fields is the one definition of the raw names).
    DROP TABLE IF EXISTS pg_temp.promo_load;
    CREATE TEMP TABLE promo_load ON COMMIT DROP AS
    SELECT f.*
    FROM pg_catalog.unnest(v_ids) AS u(load_id)
    JOIN intake.raw_load_fields f ON f.load_id = u.load_id;
    ALTER TABLE pg_temp.promo_load ADD PRIMARY KEY (load_id);
    ANALYZE pg_temp.promo_load;

    SELECT pg_catalog.array_agg(DISTINCT l.batch_id ORDER BY l.batch_id)
    INTO v_batches
    FROM pg_temp.promo_load l;

    -- The per-email working set (v1: vault.f_promotion_work): several loads of one email are
    -- merged, the latest non-empty value wins.
    DROP TABLE IF EXISTS pg_temp.promo_work;
    CREATE TEMP TABLE promo_work ON COMMIT DROP AS
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
        FROM pg_temp.promo_load f
        WHERE f.email_valid
        GROUP BY f.email
    )
    SELECT a.email, a.first_load_id, a.last_load_id, a.source, a.full_name, a.first_name,
           a.last_name, a.title, a.phone, a.linkedin_url, a.company_name, a.website,
           a.custom_fields,
           CASE WHEN a.web_domain IS NOT NULL OR NOT a.is_free_mail THEN 'domain'
                WHEN a.company_name IS NOT NULL THEN 'name' END AS company_key_type,
           CASE WHEN a.web_domain IS NOT NULL THEN a.web_domain
                WHEN NOT a.is_free_mail THEN a.email_domain
                ELSE pg_catalog.lower(a.company_name) END AS company_key,
           NULL::bigint AS company_id,
           NULL::bigint AS person_id
    FROM agg a;
    ALTER TABLE pg_temp.promo_work ADD PRIMARY KEY (email);
    SELECT pg_catalog.count(*) INTO v_valid_emails FROM pg_temp.promo_work;

    -- Company and person as they stand (v1's correlated look-ups, as joins).
    UPDATE pg_temp.promo_work w
    SET company_id = c.company_id
    FROM company.company c
    WHERE w.company_key_type = 'domain' AND c.domain = w.company_key;
    UPDATE pg_temp.promo_work w
    SET company_id = c.company_id
    FROM (SELECT pg_catalog.lower(c.company_name) AS key, pg_catalog.min(c.company_id) AS company_id
          FROM company.company c
          WHERE pg_catalog.lower(c.company_name) IN
                (SELECT w2.company_key FROM pg_temp.promo_work w2
                 WHERE w2.company_key_type = 'name')
          GROUP BY 1) AS c
    WHERE w.company_key_type = 'name' AND c.key = w.company_key;
    UPDATE pg_temp.promo_work w
    SET person_id = coalesce(
            (SELECT p.contact_id FROM vault.contacts v
             JOIN people.contact p ON p.contact_id = v.people_contact_id
             WHERE v.email = w.email AND p.status <> 'merged'),
            (SELECT pg_catalog.min(p.contact_id) FROM people.contact p
             WHERE pg_catalog.lower(p.email) = w.email AND p.status <> 'merged'));
    ANALYZE pg_temp.promo_work;

    -- 2. Loads whose email fails the format check.
    UPDATE intake.raw_loads r
    SET status = 'failed',
        metadata = r.metadata || pg_catalog.jsonb_build_object(
            'failure_reason',
            CASE WHEN coalesce(f.email, '') = '' THEN 'email is missing'
                 ELSE pg_catalog.format('invalid email format: %s', f.email) END,
            'failed_at', pg_catalog.now(),
            'audit_log_id', v_audit_id)
    FROM pg_temp.promo_load f
    WHERE f.load_id = r.load_id
      AND NOT coalesce(f.email_valid, false);
    GET DIAGNOSTICS v_failed = ROW_COUNT;

    -- 3. Upsert the vault by email; keep existing values where the load's are empty.
    WITH up AS (
        INSERT INTO vault.contacts AS c
            (email, name, phone, company, title, source, custom_fields, load_id)
        SELECT w.email, w.full_name, w.phone, w.company_name, w.title, w.source,
               w.custom_fields, w.last_load_id
        FROM pg_temp.promo_work w
        ORDER BY w.email
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
    FROM pg_temp.promo_load f
    JOIN vault.contacts c ON c.email = f.email
    WHERE f.load_id = r.load_id
      AND f.email_valid;
    GET DIAGNOSTICS v_contacts = ROW_COUNT;

    -- 5a. Serialise with concurrent promotions creating the same companies (sorted buckets).
    PERFORM pg_catalog.count(pg_catalog.pg_advisory_xact_lock(c_lock_space, k.h))
    FROM (SELECT DISTINCT pg_catalog.hashtext(w.company_key_type || ':' || w.company_key)
                          & (c_buckets - 1) AS h
          FROM pg_temp.promo_work w
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
        FROM pg_temp.promo_work w
        WHERE w.company_key IS NOT NULL AND w.company_id IS NULL
          -- a company created by a promotion that committed while this one waited for 5a
          AND NOT (w.company_key_type = 'domain'
                   AND EXISTS (SELECT 1 FROM company.company c WHERE c.domain = w.company_key))
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

    -- Refresh company_id (the companies just created, or created concurrently).
    UPDATE pg_temp.promo_work w
    SET company_id = c.company_id
    FROM company.company c
    WHERE w.company_id IS NULL AND w.company_key_type = 'domain' AND c.domain = w.company_key;
    UPDATE pg_temp.promo_work w
    SET company_id = c.company_id
    FROM (SELECT pg_catalog.lower(c.company_name) AS key, pg_catalog.min(c.company_id) AS company_id
          FROM company.company c
          WHERE pg_catalog.lower(c.company_name) IN
                (SELECT w2.company_key FROM pg_temp.promo_work w2
                 WHERE w2.company_key_type = 'name' AND w2.company_id IS NULL)
          GROUP BY 1) AS c
    WHERE w.company_id IS NULL AND w.company_key_type = 'name' AND c.key = w.company_key;
    ANALYZE pg_temp.promo_work;

    -- 5c. Find or create the people.
    WITH created AS (
        INSERT INTO people.contact
            (full_name, first_name, last_name, title, email, phone, linkedin_url, company_id,
             source_system, source_record_id, promoted_from_intake_at)
        SELECT coalesce(w.full_name, w.email), w.first_name, w.last_name, w.title, w.email,
               w.phone, w.linkedin_url, w.company_id, w.source,
               'intake.raw_loads:' || w.first_load_id, pg_catalog.now()
        FROM pg_temp.promo_work w
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

    -- Refresh person_id (the people just created, or created concurrently).
    UPDATE pg_temp.promo_work w
    SET person_id = p.contact_id
    FROM (SELECT pg_catalog.lower(p.email) AS email, pg_catalog.min(p.contact_id) AS contact_id
          FROM people.contact p
          WHERE pg_catalog.lower(p.email) IN
                (SELECT w2.email FROM pg_temp.promo_work w2 WHERE w2.person_id IS NULL)
            AND p.status <> 'merged'
          GROUP BY 1) AS p
    WHERE w.person_id IS NULL AND p.email = w.email;
    ANALYZE pg_temp.promo_work;  -- ids filled in since the first ANALYZE: fresh estimates

    -- 5d. Link the vault contacts to their golden records.
    UPDATE vault.contacts c
    SET people_contact_id = w.person_id,
        updated_at = pg_catalog.clock_timestamp()
    FROM pg_temp.promo_work w
    WHERE c.email = w.email
      AND w.person_id IS NOT NULL
      AND c.people_contact_id IS DISTINCT FROM w.person_id;

    -- 5e. Fill empty slots from the classified titles (one classifier call for all titles).
    WITH titles AS MATERIALIZED (
        SELECT r.title, r.role_code, r.confidence, r.reason
        FROM company.classify_titles(ARRAY(
                 SELECT DISTINCT w.title FROM pg_temp.promo_work w
                 WHERE w.title IS NOT NULL AND w.company_id IS NOT NULL
                   AND w.person_id IS NOT NULL)) AS r
        WHERE r.role_code IS NOT NULL
          AND r.confidence >= 0.7
    ),
    classified AS (
        SELECT w.company_id, w.person_id, w.first_load_id, w.title,
               t.role_code, t.confidence, t.reason
        FROM pg_temp.promo_work w
        JOIN titles t ON t.title = w.title
        WHERE w.company_id IS NOT NULL
          AND w.person_id IS NOT NULL
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
        v_inserted, v_updated, v_valid_emails - v_inserted - v_updated,
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

    DROP TABLE pg_temp.promo_work;
    DROP TABLE pg_temp.promo_load;

    promoted_count := v_inserted;
    updated_count := v_updated;
    failed_count := v_failed;
    message := v_message;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION vault.f_promote_contacts(bigint[]) IS 'v2';

REVOKE EXECUTE ON FUNCTION vault.f_promote_contacts(bigint[]) FROM PUBLIC;

-- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION vault.f_promote_contacts(bigint[]) OWNER TO vault_writer;

GRANT EXECUTE ON FUNCTION vault.f_promote_contacts(bigint[]) TO mcp_promote;
