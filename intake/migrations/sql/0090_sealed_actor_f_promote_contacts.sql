-- intake 0090 (issue 19): the actor recorded by this object is public.current_actor() v3 (outreach_admin
-- 0050), which honours outreach.actor only when sealed by public.set_actor / set_system_actor.
-- vault.f_promote_contacts v5: 'promotion of batch B' is set and the caller's actor restored
-- through public.set_system_actor (vault_writer only).

-- vault.f_promote_contacts
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
    -- v3
    c_fill_threshold CONSTANT numeric := 0.7;  -- companies.services.slots_bulk_fill's threshold
    v_actor text;
    v_prev_actor text;
    v_companies_created bigint[] := '{}';
    v_companies_updated bigint[] := '{}';
    v_people_created bigint[] := '{}';
    v_people_updated bigint[] := '{}';
    v_slots_filled bigint[] := '{}';
    v_slots_cleared bigint[] := '{}';
    v_rejected integer := 0;
    v_evidence integer := 0;
    v_result jsonb;
    -- v4
    c_invalid_phone CONSTANT text := 'not a valid phone number (not stored)';
    c_unchecked_phone CONSTANT text := 'not checked as a phone number (not stored)';
    v_invalid_phones integer := 0;
    v_cleared_detail jsonb := '[]';
    v_moved_detail jsonb := '[]';
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
               (pg_catalog.array_agg(f.seniority ORDER BY f.load_id DESC)
                    FILTER (WHERE f.seniority IS NOT NULL))[1] AS seniority,
               (pg_catalog.array_agg(f.department ORDER BY f.load_id DESC)
                    FILTER (WHERE f.department IS NOT NULL))[1] AS department,
               (pg_catalog.array_agg(f.work_phone_e164 ORDER BY f.load_id DESC)
                    FILTER (WHERE f.work_phone_e164 IS NOT NULL))[1] AS work_phone_e164,
               (pg_catalog.array_agg(f.mobile_phone_e164 ORDER BY f.load_id DESC)
                    FILTER (WHERE f.mobile_phone_e164 IS NOT NULL))[1] AS mobile_phone_e164,
               (pg_catalog.array_agg(f.location ORDER BY f.load_id DESC)
                    FILTER (WHERE f.location IS NOT NULL))[1] AS location,
               (pg_catalog.array_agg(f.email_status ORDER BY f.load_id DESC)
                    FILTER (WHERE f.email_status IS NOT NULL))[1] AS email_status,
               (pg_catalog.array_agg(f.company_linkedin_url ORDER BY f.load_id DESC)
                    FILTER (WHERE f.company_linkedin_url IS NOT NULL))[1] AS company_linkedin_url,
               (pg_catalog.array_agg(f.company_phone_e164 ORDER BY f.load_id DESC)
                    FILTER (WHERE f.company_phone_e164 IS NOT NULL))[1] AS company_phone_e164,
               (pg_catalog.array_agg(f.employee_count ORDER BY f.load_id DESC)
                    FILTER (WHERE f.employee_count IS NOT NULL))[1] AS employee_count,
               (pg_catalog.array_agg(f.industry ORDER BY f.load_id DESC)
                    FILTER (WHERE f.industry IS NOT NULL))[1] AS industry,
               (pg_catalog.array_agg(f.company_city ORDER BY f.load_id DESC)
                    FILTER (WHERE f.company_city IS NOT NULL))[1] AS company_city,
               (pg_catalog.array_agg(f.company_state ORDER BY f.load_id DESC)
                    FILTER (WHERE f.company_state IS NOT NULL))[1] AS company_state,
               (pg_catalog.array_agg(f.company_country ORDER BY f.load_id DESC)
                    FILTER (WHERE f.company_country IS NOT NULL))[1] AS company_country,
               (pg_catalog.array_agg(f.website_url ORDER BY f.load_id DESC)
                    FILTER (WHERE f.web_domain IS NOT NULL AND f.website_url IS NOT NULL))[1] AS website_url,
               (pg_catalog.array_agg(f.source ORDER BY f.load_id DESC))[1] AS last_source,
               (pg_catalog.array_agg(f.batch_id ORDER BY f.load_id DESC))[1] AS last_batch_id,
               (pg_catalog.array_agg(f.custom_fields ORDER BY f.load_id DESC))[1] AS custom_fields,
               pg_catalog.bool_or(f.is_free_mail) AS is_free_mail,
               public.normalize_domain(pg_catalog.min(f.email_domain)) AS email_domain
        FROM pg_temp.promo_load f
        WHERE f.email_valid
        GROUP BY f.email
    )
    SELECT a.email, a.first_load_id, a.last_load_id, a.source, a.full_name, a.first_name,
           a.last_name, a.title, a.phone, a.linkedin_url, a.company_name, a.website,
           a.custom_fields, a.seniority, a.department, a.work_phone_e164, a.mobile_phone_e164, a.location, a.email_status, a.company_linkedin_url, a.company_phone_e164, a.employee_count, a.industry, a.company_city, a.company_state, a.company_country,
           a.website_url, a.last_source, a.last_batch_id,
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

    -- From here on every golden-record write is made by "promotion of batch <id>" (the history
    -- triggers read public.current_actor()); the caller's actor is restored before the audit row.
    v_prev_actor := public.current_actor();
    v_actor := 'promotion of batch ' || coalesce(pg_catalog.array_to_string(v_batches, ', '), '-');
    PERFORM public.set_system_actor(v_actor);

    -- 5b. Create the missing companies (every carried field) with their three slots.
    WITH missing AS (
        SELECT w.company_key_type, w.company_key,
               coalesce((pg_catalog.array_agg(w.company_name ORDER BY w.last_load_id DESC)
                             FILTER (WHERE w.company_name IS NOT NULL))[1],
                        w.company_key) AS company_name,
               (pg_catalog.array_agg(w.website_url ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.website_url IS NOT NULL
                              AND w.company_key_type = 'domain'
                              AND public.normalize_domain(w.website_url) = w.company_key))[1]
                   AS website_url,
               (pg_catalog.array_agg(w.company_linkedin_url ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.company_linkedin_url IS NOT NULL))[1] AS linkedin_url,
               (pg_catalog.array_agg(w.company_phone_e164 ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.company_phone_e164 IS NOT NULL))[1] AS company_phone,
               (pg_catalog.array_agg(w.employee_count ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.employee_count IS NOT NULL))[1] AS employee_count,
               (pg_catalog.array_agg(w.industry ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.industry IS NOT NULL))[1] AS industry,
               (pg_catalog.array_agg(w.company_city ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.company_city IS NOT NULL))[1] AS city,
               (pg_catalog.array_agg(w.company_state ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.company_state IS NOT NULL))[1] AS state_region,
               (pg_catalog.array_agg(w.company_country ORDER BY w.last_load_id DESC)
                    FILTER (WHERE w.company_country IS NOT NULL))[1] AS country,
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
            (company_name, domain, website_url, linkedin_url, company_phone, employee_count,
             industry, city, state_region, country, source_system, source_record_id,
             promoted_from_intake_at, promotion_audit_log_id)
        SELECT m.company_name,
               CASE WHEN m.company_key_type = 'domain' THEN m.company_key END,
               m.website_url, m.linkedin_url, m.company_phone, m.employee_count, m.industry,
               m.city, m.state_region, m.country, m.source,
               'intake.raw_loads:' || m.first_load_id, pg_catalog.now(), v_audit_id
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
    SELECT (SELECT pg_catalog.count(*) FROM events),
           coalesce((SELECT pg_catalog.array_agg(c.company_id ORDER BY c.company_id) FROM created c), '{}')
    INTO v_companies, v_companies_created;

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

    -- 5c. Find or create the people (every carried field; named after the e-mail only when the
    -- loads hold no name at all: raw_load_fields.full_name already falls back to first+last and
    -- the "_norm" parts).
    WITH created AS (
        INSERT INTO people.contact
            (full_name, first_name, last_name, title, seniority, department, email, phone,
             work_phone_e164, personal_phone_e164, linkedin_url, location, company_id,
             source_system, source_record_id, promoted_from_intake_at)
        SELECT coalesce(w.full_name, w.email), w.first_name, w.last_name, w.title, w.seniority,
               w.department, w.email, w.phone, w.work_phone_e164, w.mobile_phone_e164,
               w.linkedin_url, w.location, w.company_id, w.source,
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
    SELECT (SELECT pg_catalog.count(*) FROM events),
           coalesce((SELECT pg_catalog.array_agg(c.contact_id ORDER BY c.contact_id) FROM created c), '{}')
    INTO v_people, v_people_created;

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

    -- 5e. Survivorship, person fields (docs/SURVIVORSHIP.md): each field's latest non-empty
    -- value among the loads, judged against the record as it stands, in one statement.
    DROP TABLE IF EXISTS pg_temp.promo_person_field;
    CREATE TEMP TABLE promo_person_field ON COMMIT DROP AS
    WITH cand AS (
        SELECT DISTINCT ON (w.person_id, x.field)
               w.person_id AS entity_id, x.field, x.value, l.load_id, l.source, l.batch_id
        FROM pg_temp.promo_load l
        JOIN pg_temp.promo_work w ON w.email = l.email
        CROSS JOIN LATERAL (VALUES
            -- v4: in the form people.contact's triggers store it (a re-sent value equal to the
            -- record is the same value, not a no-op update)
            ('full_name', nullif(pg_catalog.btrim(pg_catalog.regexp_replace(
                              l.full_name, '\s+', ' ', 'g')), '')),
            ('first_name', l.first_name),
            ('last_name', l.last_name), ('title', l.title), ('seniority', l.seniority),
            ('department', l.department), ('phone', l.phone),
            ('work_phone_e164', l.work_phone_e164),
            ('personal_phone_e164', l.mobile_phone_e164),
            ('linkedin_url', public.stored_url(l.linkedin_url)), ('location', l.location),
            ('company_id', w.company_id::text)) AS x(field, value)
        WHERE l.email_valid AND w.person_id IS NOT NULL AND x.value IS NOT NULL
        ORDER BY w.person_id, x.field, l.load_id DESC
    ),
    judged AS (
        SELECT c.*, pg_catalog.to_jsonb(p) ->> c.field AS cur,
               p.email AS person_email, p.source_system, lp.load_id AS last_load_id,
               lp.source AS last_source, lp.set_at AS last_set_at,
               (c.entity_id = ANY (v_people_created)) AS created,
               ((p.source_system = 'manual' AND lp.set_at IS NULL)
                OR EXISTS (SELECT 1 FROM people.history h
                           WHERE h.contact_id = p.contact_id AND h.table_name = 'contact'
                             AND h.action = 'update' AND h.changed_fields ? c.field
                             AND h.changed_by NOT LIKE 'promotion of batch %'
                             AND h.changed_at > coalesce(lp.set_at, '-infinity'))) AS manual
        FROM cand c
        JOIN people.contact p ON p.contact_id = c.entity_id
        LEFT JOIN LATERAL (
            SELECT fp.load_id, fp.source, fp.set_at FROM people.field_provenance fp
            WHERE fp.contact_id = c.entity_id AND fp.field = c.field AND fp.outcome = 'applied'
            ORDER BY fp.set_at DESC, fp.provenance_id DESC LIMIT 1) lp ON true
    )
    SELECT j.entity_id, j.field, j.value, j.load_id, j.source, j.batch_id, d.outcome, d.reason
    FROM judged j
    CROSS JOIN LATERAL (SELECT * FROM intake.survivorship_verdict(
        j.value, j.cur, j.created,
        j.field = 'full_name' AND pg_catalog.lower(j.cur) = pg_catalog.lower(j.person_email),
        j.manual, j.load_id, j.source, j.last_load_id, j.last_source)) d
    WHERE d.outcome IS NOT NULL;

    -- v4: phones the intake boundary refused (no E.164; the raw value is kept in the load's
    -- custom fields by intake.raw_load_fields), one refusal per person, field and value.
    INSERT INTO pg_temp.promo_person_field
        (entity_id, field, value, load_id, source, batch_id, outcome, reason)
    SELECT DISTINCT ON (w.person_id, x.field, x.value)
           w.person_id, x.field, x.value, l.load_id, l.source, l.batch_id, 'rejected',
           CASE WHEN l.has_norm THEN c_invalid_phone ELSE c_unchecked_phone END
    FROM pg_temp.promo_load l
    JOIN pg_temp.promo_work w ON w.email = l.email
    CROSS JOIN LATERAL (VALUES
        ('work_phone_e164', CASE WHEN l.work_phone_e164 IS NULL
                                 THEN nullif(pg_catalog.btrim(l.custom_fields ->> 'work_phone'), '') END),
        ('personal_phone_e164', CASE WHEN l.mobile_phone_e164 IS NULL
                                     THEN nullif(pg_catalog.btrim(l.custom_fields ->> 'mobile_phone'), '') END)
        ) AS x(field, value)
    WHERE l.email_valid AND w.person_id IS NOT NULL AND x.value IS NOT NULL
    ORDER BY w.person_id, x.field, x.value, l.load_id DESC;

    WITH agg AS (
        SELECT f.entity_id, pg_catalog.jsonb_object_agg(f.field, f.value) AS v
        FROM pg_temp.promo_person_field f
        WHERE f.outcome = 'applied' AND f.reason <> 'created'
        GROUP BY f.entity_id
    ),
    up AS (
        UPDATE people.contact p
        SET full_name = CASE WHEN a.v ? 'full_name' THEN a.v ->> 'full_name' ELSE p.full_name END,
            first_name = CASE WHEN a.v ? 'first_name' THEN a.v ->> 'first_name' ELSE p.first_name END,
            last_name = CASE WHEN a.v ? 'last_name' THEN a.v ->> 'last_name' ELSE p.last_name END,
            title = CASE WHEN a.v ? 'title' THEN a.v ->> 'title' ELSE p.title END,
            seniority = CASE WHEN a.v ? 'seniority' THEN a.v ->> 'seniority' ELSE p.seniority END,
            department = CASE WHEN a.v ? 'department' THEN a.v ->> 'department'
                              ELSE p.department END,
            phone = CASE WHEN a.v ? 'phone' THEN a.v ->> 'phone' ELSE p.phone END,
            work_phone_e164 = CASE WHEN a.v ? 'work_phone_e164' THEN a.v ->> 'work_phone_e164'
                                   ELSE p.work_phone_e164 END,
            personal_phone_e164 = CASE WHEN a.v ? 'personal_phone_e164'
                                       THEN a.v ->> 'personal_phone_e164'
                                       ELSE p.personal_phone_e164 END,
            linkedin_url = CASE WHEN a.v ? 'linkedin_url' THEN a.v ->> 'linkedin_url'
                                ELSE p.linkedin_url END,
            location = CASE WHEN a.v ? 'location' THEN a.v ->> 'location' ELSE p.location END,
            company_id = CASE WHEN a.v ? 'company_id' THEN (a.v ->> 'company_id')::bigint
                              ELSE p.company_id END
        FROM agg a
        WHERE p.contact_id = a.entity_id
        RETURNING p.contact_id
    )
    SELECT coalesce(pg_catalog.array_agg(u.contact_id ORDER BY u.contact_id), '{}')
    INTO v_people_updated
    FROM up u;

    -- v4: a value already refused for the field since it was last set is not recorded again.
    WITH ins AS (
        INSERT INTO people.field_provenance
            (contact_id, field, value, source, load_id, batch_id, outcome, reason, set_by, set_at)
        SELECT f.entity_id, f.field, f.value, f.source, f.load_id, f.batch_id, f.outcome,
               f.reason, v_actor, pg_catalog.now()
        FROM pg_temp.promo_person_field f
        WHERE f.outcome = 'applied'
           OR NOT EXISTS (
               SELECT 1 FROM people.field_provenance fp
               WHERE fp.contact_id = f.entity_id AND fp.field = f.field
                 AND fp.outcome = 'rejected' AND fp.value IS NOT DISTINCT FROM f.value
                 AND fp.set_at >= coalesce(
                     (SELECT pg_catalog.max(a.set_at) FROM people.field_provenance a
                      WHERE a.contact_id = f.entity_id AND a.field = f.field
                        AND a.outcome = 'applied'), '-infinity'))
        ORDER BY f.entity_id, f.field, f.outcome
        RETURNING outcome, reason
    )
    SELECT pg_catalog.count(*) FILTER (WHERE i.outcome = 'rejected'
                                        AND i.reason NOT IN (c_invalid_phone, c_unchecked_phone)),
           pg_catalog.count(*) FILTER (WHERE i.reason IN (c_invalid_phone, c_unchecked_phone))
    INTO v_rejected, v_invalid_phones
    FROM ins i;

    -- 5f. Survivorship, company fields (the same rule; the domain is the key and never moves).
    DROP TABLE IF EXISTS pg_temp.promo_company_field;
    CREATE TEMP TABLE promo_company_field ON COMMIT DROP AS
    WITH cand AS (
        SELECT DISTINCT ON (w.company_id, x.field)
               w.company_id AS entity_id, x.field, x.value, l.load_id, l.source, l.batch_id
        FROM pg_temp.promo_load l
        JOIN pg_temp.promo_work w ON w.email = l.email
        CROSS JOIN LATERAL (VALUES
            ('company_name', l.company_name),
            ('website_url', CASE WHEN w.company_key_type = 'domain'
                                  AND l.web_domain = w.company_key
                                 THEN public.stored_url(l.website_url) END),
            ('linkedin_url', public.stored_url(l.company_linkedin_url)),
            ('company_phone', l.company_phone_e164),
            ('employee_count', l.employee_count::text), ('industry', l.industry),
            ('city', l.company_city), ('state_region', l.company_state),
            ('country', l.company_country)) AS x(field, value)
        WHERE l.email_valid AND w.company_id IS NOT NULL AND x.value IS NOT NULL
        ORDER BY w.company_id, x.field, l.load_id DESC
    ),
    judged AS (
        SELECT c.*, pg_catalog.to_jsonb(co) ->> c.field AS cur,
               lp.load_id AS last_load_id, lp.source AS last_source,
               (c.entity_id = ANY (v_companies_created)) AS created,
               ((co.source_system = 'manual' AND lp.set_at IS NULL)
                OR EXISTS (SELECT 1 FROM company.history h
                           WHERE h.company_id = co.company_id AND h.table_name = 'company'
                             AND h.action = 'update' AND h.changed_fields ? c.field
                             AND h.changed_by NOT LIKE 'promotion of batch %'
                             AND h.changed_at > coalesce(lp.set_at, '-infinity'))) AS manual
        FROM cand c
        JOIN company.company co ON co.company_id = c.entity_id
        LEFT JOIN LATERAL (
            SELECT fp.load_id, fp.source, fp.set_at FROM company.field_provenance fp
            WHERE fp.company_id = c.entity_id AND fp.field = c.field AND fp.outcome = 'applied'
            ORDER BY fp.set_at DESC, fp.provenance_id DESC LIMIT 1) lp ON true
    )
    SELECT j.entity_id, j.field, j.value, j.load_id, j.source, j.batch_id, d.outcome, d.reason
    FROM judged j
    CROSS JOIN LATERAL (SELECT * FROM intake.survivorship_verdict(
        j.value, j.cur, j.created, false, j.manual, j.load_id, j.source, j.last_load_id,
        j.last_source)) d
    WHERE d.outcome IS NOT NULL;

    -- v4: a company phone the intake boundary refused, as for people.
    INSERT INTO pg_temp.promo_company_field
        (entity_id, field, value, load_id, source, batch_id, outcome, reason)
    SELECT DISTINCT ON (w.company_id, x.value)
           w.company_id, 'company_phone', x.value, l.load_id, l.source, l.batch_id, 'rejected',
           CASE WHEN l.has_norm THEN c_invalid_phone ELSE c_unchecked_phone END
    FROM pg_temp.promo_load l
    JOIN pg_temp.promo_work w ON w.email = l.email
    CROSS JOIN LATERAL (SELECT CASE WHEN l.company_phone_e164 IS NULL
                                    THEN nullif(pg_catalog.btrim(l.custom_fields ->> 'company_phone'), '')
                               END AS value) AS x
    WHERE l.email_valid AND w.company_id IS NOT NULL AND x.value IS NOT NULL
    ORDER BY w.company_id, x.value, l.load_id DESC;

    WITH agg AS (
        SELECT f.entity_id, pg_catalog.jsonb_object_agg(f.field, f.value) AS v
        FROM pg_temp.promo_company_field f
        WHERE f.outcome = 'applied' AND f.reason <> 'created'
        GROUP BY f.entity_id
    ),
    up AS (
        UPDATE company.company co
        SET company_name = CASE WHEN a.v ? 'company_name' THEN a.v ->> 'company_name'
                                ELSE co.company_name END,
            website_url = CASE WHEN a.v ? 'website_url' THEN a.v ->> 'website_url'
                               ELSE co.website_url END,
            linkedin_url = CASE WHEN a.v ? 'linkedin_url' THEN a.v ->> 'linkedin_url'
                                ELSE co.linkedin_url END,
            company_phone = CASE WHEN a.v ? 'company_phone' THEN a.v ->> 'company_phone'
                                 ELSE co.company_phone END,
            employee_count = CASE WHEN a.v ? 'employee_count'
                                  THEN (a.v ->> 'employee_count')::integer
                                  ELSE co.employee_count END,
            industry = CASE WHEN a.v ? 'industry' THEN a.v ->> 'industry' ELSE co.industry END,
            city = CASE WHEN a.v ? 'city' THEN a.v ->> 'city' ELSE co.city END,
            state_region = CASE WHEN a.v ? 'state_region' THEN a.v ->> 'state_region'
                                ELSE co.state_region END,
            country = CASE WHEN a.v ? 'country' THEN a.v ->> 'country' ELSE co.country END
        FROM agg a
        WHERE co.company_id = a.entity_id
        RETURNING co.company_id
    )
    SELECT coalesce(pg_catalog.array_agg(u.company_id ORDER BY u.company_id), '{}')
    INTO v_companies_updated
    FROM up u;

    WITH ins AS (
        INSERT INTO company.field_provenance
            (company_id, field, value, source, load_id, batch_id, outcome, reason, set_by, set_at)
        SELECT f.entity_id, f.field, f.value, f.source, f.load_id, f.batch_id, f.outcome,
               f.reason, v_actor, pg_catalog.now()
        FROM pg_temp.promo_company_field f
        WHERE f.outcome = 'applied'
           OR NOT EXISTS (
               SELECT 1 FROM company.field_provenance fp
               WHERE fp.company_id = f.entity_id AND fp.field = f.field
                 AND fp.outcome = 'rejected' AND fp.value IS NOT DISTINCT FROM f.value
                 AND fp.set_at >= coalesce(
                     (SELECT pg_catalog.max(a.set_at) FROM company.field_provenance a
                      WHERE a.company_id = f.entity_id AND a.field = f.field
                        AND a.outcome = 'applied'), '-infinity'))
        ORDER BY f.entity_id, f.field, f.outcome
        RETURNING outcome, reason
    )
    SELECT v_rejected + pg_catalog.count(*) FILTER (
               WHERE i.outcome = 'rejected' AND i.reason NOT IN (c_invalid_phone, c_unchecked_phone)),
           v_invalid_phones + pg_catalog.count(*) FILTER (
               WHERE i.reason IN (c_invalid_phone, c_unchecked_phone))
    INTO v_rejected, v_invalid_phones
    FROM ins i;

    -- 5g. Title and slot never disagree: a person whose title this promotion changed and who
    -- holds a slot their new title no longer fits (classifier role differs, or confidence below
    -- the bulk-fill threshold) is taken out of that slot; history records the promotion as actor
    -- and the reason. The freed slot may be refilled by 5h.
    -- v4: first, a person this promotion moved to another employer (company_id applied to an
    -- existing person) leaves every slot of another company; the result names the new company.
    PERFORM pg_catalog.set_config('outreach.reason',
        'employer changed by ' || v_actor || '; the person moved to another company', true);
    WITH moved AS (
        SELECT s.company_slot_id, f.entity_id AS contact_id, f.new_company_id
        FROM (SELECT f0.entity_id,
                     CASE WHEN f0.field = 'company_id' THEN f0.value::bigint END AS new_company_id
              FROM pg_temp.promo_person_field f0
              WHERE f0.field = 'company_id' AND f0.outcome = 'applied'
                AND f0.reason <> 'created') f
        JOIN company.company_slot s
          ON s.contact_id = f.entity_id AND s.company_id <> f.new_company_id
    ),
    cleared AS (
        UPDATE company.company_slot s
        SET contact_id = NULL
        FROM moved m
        WHERE s.company_slot_id = m.company_slot_id
        RETURNING s.company_slot_id, s.company_id, s.role_code, m.contact_id, m.new_company_id
    )
    SELECT coalesce(pg_catalog.array_agg(c.company_slot_id ORDER BY c.company_slot_id), '{}'),
           coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                        'slot_id', c.company_slot_id, 'company_id', c.company_id,
                        'role_code', c.role_code, 'contact_id', c.contact_id,
                        'moved_to_company_id', c.new_company_id,
                        'reason', 'moved to ' || coalesce(co.company_name,
                                                          'company #' || c.new_company_id))
                    ORDER BY c.company_slot_id), '[]')
    INTO v_slots_cleared, v_moved_detail
    FROM cleared c
    LEFT JOIN company.company co ON co.company_id = c.new_company_id;

    PERFORM pg_catalog.set_config('outreach.reason',
        'title changed by ' || v_actor || '; it no longer fits this role', true);
    WITH moved AS (
        SELECT s.company_slot_id, f.entity_id AS contact_id, f.value AS new_title
        FROM pg_temp.promo_person_field f
        JOIN company.company_slot s ON s.contact_id = f.entity_id
        LEFT JOIN company.classify_titles(ARRAY(
                 SELECT DISTINCT f2.value FROM pg_temp.promo_person_field f2
                 WHERE f2.field = 'title' AND f2.outcome = 'applied'
                   AND f2.reason <> 'created')) k ON k.title = f.value
        WHERE f.field = 'title' AND f.outcome = 'applied' AND f.reason <> 'created'
          AND (k.role_code IS DISTINCT FROM s.role_code OR k.confidence < c_fill_threshold)
    ),
    cleared AS (
        UPDATE company.company_slot s
        SET contact_id = NULL
        FROM moved m
        WHERE s.company_slot_id = m.company_slot_id
        RETURNING s.company_slot_id, s.company_id, s.role_code, m.contact_id, m.new_title
    )
    SELECT v_slots_cleared || coalesce(pg_catalog.array_agg(c.company_slot_id
                                                            ORDER BY c.company_slot_id), '{}'),
           v_moved_detail || coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                        'slot_id', c.company_slot_id, 'company_id', c.company_id,
                        'role_code', c.role_code, 'contact_id', c.contact_id,
                        'reason', pg_catalog.format('title changed to %s; it no longer fits %s',
                                                    c.new_title, c.role_code))
                    ORDER BY c.company_slot_id), '[]')
    INTO v_slots_cleared, v_cleared_detail
    FROM cleared c;
    SELECT coalesce(pg_catalog.array_agg(x ORDER BY x), '{}') INTO v_slots_cleared
    FROM pg_catalog.unnest(v_slots_cleared) AS x;
    PERFORM pg_catalog.set_config('outreach.reason',
        'filled by ' || v_actor || ' (title confidence >= '
        || pg_catalog.to_char(c_fill_threshold, 'FM0.00') || ', the bulk-fill threshold)', true);

    -- 5h. Fill empty slots from the people's current titles (one classifier call for all), with
    -- the bulk-fill classifier and threshold (companies.services.slots_bulk_fill), only into an
    -- empty slot, one slot per person per company.
    WITH cur AS MATERIALIZED (
        SELECT w.company_id, w.person_id, w.first_load_id, p.title
        FROM pg_temp.promo_work w
        JOIN people.contact p ON p.contact_id = w.person_id
        WHERE w.company_id IS NOT NULL AND p.title IS NOT NULL AND p.status = 'active'
          AND p.company_id IS NOT DISTINCT FROM w.company_id
    ),
    titles AS MATERIALIZED (
        SELECT r.title, r.role_code, r.confidence, r.reason
        FROM company.classify_titles(ARRAY(SELECT DISTINCT c.title FROM cur c)) AS r
        WHERE r.role_code IS NOT NULL
          AND r.confidence >= c_fill_threshold
    ),
    classified AS (
        SELECT c.company_id, c.person_id, c.first_load_id, c.title,
               t.role_code, t.confidence, t.reason
        FROM cur c
        JOIN titles t ON t.title = c.title
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
    one_each AS (  -- a person fitting two roles takes the more confident one
        SELECT DISTINCT ON (p.company_id, p.person_id) p.*
        FROM pick p
        ORDER BY p.company_id, p.person_id, p.confidence DESC, p.role_code
    ),
    filled AS (
        UPDATE company.company_slot s
        SET contact_id = p.person_id
        FROM one_each p
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
    SELECT (SELECT pg_catalog.count(*) FROM events),
           coalesce((SELECT pg_catalog.array_agg(f.company_slot_id ORDER BY f.company_slot_id)
                     FROM filled f), '{}')
    INTO v_slots, v_slots_filled;
    PERFORM pg_catalog.set_config('outreach.reason', '', true);

    -- 5i. Vendor e-mail status as evidence: one people.email_verification row per person and
    -- load (provider = the load's source), with outreach.vendor_evidence on for this statement
    -- only, so people 0061's guard keeps people.contact_verification as it was (never green by
    -- a vendor's word) unless the provider is in outreach.trusted_email_providers.
    PERFORM pg_catalog.set_config('outreach.vendor_evidence', 'on', true);
    INSERT INTO people.email_verification
        (contact_id, email, email_status, provider, result, verified_at)
    SELECT w.person_id, p.email, intake.vendor_email_status(w.email_status), w.last_source,
           pg_catalog.jsonb_build_object(
               'vendor_evidence', true, 'vendor_status', w.email_status,
               'load_id', w.last_load_id, 'batch_id', w.last_batch_id,
               'audit_log_id', v_audit_id),
           pg_catalog.now()
    FROM pg_temp.promo_work w
    JOIN people.contact p ON p.contact_id = w.person_id
    WHERE w.email_status IS NOT NULL
      AND pg_catalog.lower(p.email) = w.email
      AND NOT EXISTS (SELECT 1 FROM people.email_verification e
                      WHERE e.contact_id = w.person_id AND e.provider = w.last_source
                        AND e.result ->> 'load_id' = w.last_load_id::text)
    ORDER BY w.person_id;
    GET DIAGNOSTICS v_evidence = ROW_COUNT;
    PERFORM pg_catalog.set_config('outreach.vendor_evidence', '', true);
    PERFORM public.set_system_actor(v_prev_actor);

    -- 6. Audit, with the detailed result (ids) the app shows: people and companies each
    -- created + updated + unchanged = the distinct records the promoted loads reached;
    -- loads promoted + failed = loads processed.
    v_result := pg_catalog.jsonb_build_object(
        'loads', pg_catalog.jsonb_build_object(
            'processed', pg_catalog.cardinality(v_ids), 'promoted', v_contacts,
            'failed', v_failed,
            'failed_load_ids', (SELECT coalesce(pg_catalog.jsonb_agg(r.load_id ORDER BY r.load_id), '[]')
                                FROM pg_temp.promo_load r WHERE NOT coalesce(r.email_valid, false))),
        'people', (SELECT pg_catalog.jsonb_build_object(
                       'created', pg_catalog.to_jsonb(v_people_created),
                       'updated', coalesce(pg_catalog.jsonb_agg(x.id ORDER BY x.id)
                           FILTER (WHERE x.id = ANY (v_people_updated)
                                     AND NOT x.id = ANY (v_people_created)), '[]'),
                       'unchanged', coalesce(pg_catalog.jsonb_agg(x.id ORDER BY x.id)
                           FILTER (WHERE NOT x.id = ANY (v_people_updated)
                                     AND NOT x.id = ANY (v_people_created)), '[]'),
                       'failed', (SELECT coalesce(pg_catalog.jsonb_agg(w.email ORDER BY w.email), '[]')
                                  FROM pg_temp.promo_work w WHERE w.person_id IS NULL))
                   FROM (SELECT DISTINCT w.person_id AS id FROM pg_temp.promo_work w
                         WHERE w.person_id IS NOT NULL) x),
        'companies', (SELECT pg_catalog.jsonb_build_object(
                          'created', pg_catalog.to_jsonb(v_companies_created),
                          'updated', coalesce(pg_catalog.jsonb_agg(x.id ORDER BY x.id)
                              FILTER (WHERE x.id = ANY (v_companies_updated)
                                        AND NOT x.id = ANY (v_companies_created)), '[]'),
                          'unchanged', coalesce(pg_catalog.jsonb_agg(x.id ORDER BY x.id)
                              FILTER (WHERE NOT x.id = ANY (v_companies_updated)
                                        AND NOT x.id = ANY (v_companies_created)), '[]'),
                          'failed', (SELECT coalesce(pg_catalog.jsonb_agg(w.email ORDER BY w.email), '[]')
                                     FROM pg_temp.promo_work w
                                     WHERE w.company_key IS NOT NULL AND w.company_id IS NULL))
                      FROM (SELECT DISTINCT w.company_id AS id FROM pg_temp.promo_work w
                            WHERE w.company_id IS NOT NULL) x),
        'slots', pg_catalog.jsonb_build_object(
            'filled', pg_catalog.to_jsonb(v_slots_filled),
            'cleared', pg_catalog.to_jsonb(v_slots_cleared),
            'cleared_detail', v_cleared_detail),
        'fields_rejected', v_rejected,
        'invalid_phones', v_invalid_phones,
        'vendor_evidence_rows', v_evidence,
        'actor', v_actor);

    v_message := pg_catalog.format(
        'promoted=%s updated=%s unchanged=%s failed=%s companies_created=%s contacts_created=%s '
        'slots_filled=%s contacts_updated=%s companies_updated=%s slots_cleared=%s '
        'fields_rejected=%s phones_invalid=%s',
        v_inserted, v_updated, v_valid_emails - v_inserted - v_updated,
        v_failed, v_companies, v_people, v_slots,
        pg_catalog.jsonb_array_length(v_result -> 'people' -> 'updated'),
        pg_catalog.jsonb_array_length(v_result -> 'companies' -> 'updated'),
        pg_catalog.cardinality(v_slots_cleared), v_rejected, v_invalid_phones);
    IF p_load_ids IS NOT NULL
       AND pg_catalog.cardinality(p_load_ids) > pg_catalog.cardinality(v_ids) THEN
        v_message := v_message || pg_catalog.format(' not_pending=%s',
            (SELECT pg_catalog.count(DISTINCT x) FROM pg_catalog.unnest(p_load_ids) AS x)
            - pg_catalog.cardinality(v_ids));
    END IF;

    INSERT INTO intake.audit_log (log_id, action, user_name, batch_id, record_count, details)
    VALUES (v_audit_id, 'batch_promoted',
            coalesce(v_prev_actor, public.current_actor()),
            CASE WHEN pg_catalog.cardinality(v_batches) = 1 THEN v_batches[1] END,
            pg_catalog.cardinality(v_ids),
            pg_catalog.jsonb_build_object(
                'requested_load_ids', p_load_ids,
                'load_ids', pg_catalog.to_jsonb(v_ids),
                'batch_ids', pg_catalog.to_jsonb(coalesce(v_batches, '{}')),
                'promoted', v_inserted, 'updated', v_updated, 'failed', v_failed,
                'loads_promoted', v_contacts, 'companies_created', v_companies,
                'contacts_created', v_people, 'slots_filled', v_slots,
                'db_user', session_user::text,
                'result', v_result));

    DROP TABLE pg_temp.promo_company_field;
    DROP TABLE pg_temp.promo_person_field;
    DROP TABLE pg_temp.promo_work;
    DROP TABLE pg_temp.promo_load;

    promoted_count := v_inserted;
    updated_count := v_updated;
    failed_count := v_failed;
    message := v_message;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION vault.f_promote_contacts(bigint[]) IS 'v5';

REVOKE EXECUTE ON FUNCTION vault.f_promote_contacts(bigint[]) FROM PUBLIC;

-- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION vault.f_promote_contacts(bigint[]) OWNER TO vault_writer;

GRANT EXECUTE ON FUNCTION vault.f_promote_contacts(bigint[]) TO mcp_promote;

