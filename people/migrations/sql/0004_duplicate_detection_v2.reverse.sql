-- 0004_duplicate_detection_v2 (reverse): people.detect_duplicates() back to v1 (the same
-- body as 0003_duplicate_detection.sql).

CREATE OR REPLACE FUNCTION people.detect_duplicates()
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_result jsonb;
BEGIN
    WITH phones AS (
        SELECT p.contact_id, ph
        FROM people.contact p
        CROSS JOIN LATERAL unnest(ARRAY[people.normalize_phone(p.phone), p.work_phone_e164,
                                        p.personal_phone_e164]) AS ph
        WHERE p.status <> 'merged' AND ph IS NOT NULL
    ),
    cand AS (
        SELECT a.contact_id AS lo, b.contact_id AS hi
        FROM people.contact a
        JOIN people.contact b
          ON people.normalize_email(b.email) = people.normalize_email(a.email)
         AND b.contact_id > a.contact_id
        WHERE a.status <> 'merged' AND b.status <> 'merged'
        UNION
        SELECT a.contact_id, b.contact_id
        FROM people.contact a
        JOIN people.contact b
          ON people.normalize_linkedin(b.linkedin_url) = people.normalize_linkedin(a.linkedin_url)
         AND b.contact_id > a.contact_id
        WHERE a.status <> 'merged' AND b.status <> 'merged'
        UNION
        SELECT a.contact_id, b.contact_id
        FROM phones a JOIN phones b ON b.ph = a.ph AND b.contact_id > a.contact_id
        UNION
        SELECT a.contact_id, b.contact_id
        FROM people.contact a
        JOIN people.contact b ON b.company_id = a.company_id AND b.contact_id > a.contact_id
        WHERE a.status <> 'merged' AND b.status <> 'merged'
          AND (public.similarity(lower(a.full_name), lower(b.full_name)) >= 0.4
               OR people.canonical_first_name(people.normalize_name(a.full_name))
                  = people.canonical_first_name(people.normalize_name(b.full_name)))
        UNION
        SELECT a.contact_id, b.contact_id
        FROM people.contact a
        JOIN people.contact b
          ON people.email_domain(b.email) = people.email_domain(a.email)
         AND b.contact_id > a.contact_id
        WHERE a.status <> 'merged' AND b.status <> 'merged'
          AND NOT people.is_personal_email_domain(people.email_domain(a.email))
          AND (public.similarity(lower(a.full_name), lower(b.full_name)) >= 0.4
               OR people.canonical_first_name(people.normalize_name(a.full_name))
                  = people.canonical_first_name(people.normalize_name(b.full_name)))
    ),
    fresh AS (
        SELECT c.lo, c.hi
        FROM cand c
        WHERE NOT EXISTS (
            SELECT 1 FROM people.resolution_queue q
            WHERE least(q.contact_primary_id, q.contact_duplicate_id) = c.lo
              AND greatest(q.contact_primary_id, q.contact_duplicate_id) = c.hi)
    ),
    facts AS (
        SELECT f.lo, f.hi, a.company_id AS a_company, b.company_id AS b_company,
               people.normalize_email(a.email) AS a_email, people.normalize_email(b.email) AS b_email,
               lower(a.email) AS a_raw_email, lower(b.email) AS b_raw_email,
               people.email_domain(a.email) AS a_domain, people.email_domain(b.email) AS b_domain,
               people.normalize_linkedin(a.linkedin_url) AS a_li,
               people.normalize_linkedin(b.linkedin_url) AS b_li,
               array_remove(ARRAY[people.normalize_phone(a.phone), a.work_phone_e164,
                                  a.personal_phone_e164], NULL) AS a_ph,
               array_remove(ARRAY[people.normalize_phone(b.phone), b.work_phone_e164,
                                  b.personal_phone_e164], NULL) AS b_ph,
               people.normalize_name(a.full_name) AS a_name,
               people.normalize_name(b.full_name) AS b_name,
               people.name_suffix(a.full_name) AS a_suffix,
               people.name_suffix(b.full_name) AS b_suffix
        FROM fresh f
        JOIN people.contact a ON a.contact_id = f.lo
        JOIN people.contact b ON b.contact_id = f.hi
    ),
    judged AS (
        SELECT x.*,
               (x.a_email IS NOT NULL AND x.a_email = x.b_email) AS email_eq,
               (x.a_li IS NOT NULL AND x.a_li = x.b_li) AS li_eq,
               (x.a_ph && x.b_ph) AS phone_eq,
               (x.a_company IS NOT NULL AND x.a_company = x.b_company) AS company_eq,
               (x.a_domain IS NOT NULL AND x.a_domain = x.b_domain
                AND NOT people.is_personal_email_domain(x.a_domain)) AS work_domain_eq,
               (x.a_suffix IS NOT NULL AND x.b_suffix IS NOT NULL
                AND x.a_suffix <> x.b_suffix) AS generation_differs,
               public.similarity(coalesce(x.a_name, ''), coalesce(x.b_name, '')) AS trigram,
               (people.canonical_first_name(x.a_name) = people.canonical_first_name(x.b_name)
                AND (public.similarity(substring(x.a_name FROM '([^ ]+)$'),
                                       substring(x.b_name FROM '([^ ]+)$')) >= 0.5
                     OR people.sorted_letters(substring(x.a_name FROM '([^ ]+)$'))
                        = people.sorted_letters(substring(x.b_name FROM '([^ ]+)$'))))
                   AS nickname_match
        FROM facts x
    ),
    named AS (
        SELECT j.*,
               CASE WHEN j.a_name = j.b_name THEN 1.0
                    WHEN j.nickname_match THEN greatest(j.trigram, 0.85)
                    ELSE j.trigram END AS name_score
        FROM judged j
    ),
    rated AS (
        SELECT n.*,
               (n.email_eq OR n.li_eq OR n.phone_eq) AS id_match,
               1 - (1 - CASE WHEN n.email_eq THEN 0.9 ELSE 0 END)
                 * (1 - CASE WHEN n.li_eq THEN 0.9 ELSE 0 END)
                 * (1 - CASE WHEN n.phone_eq THEN 0.7 ELSE 0 END)
                 * (1 - CASE WHEN n.name_score < 0.5 OR n.generation_differs THEN 0
                             WHEN n.company_eq THEN n.name_score * 0.85
                             WHEN n.work_domain_eq THEN n.name_score * 0.75
                             ELSE n.name_score * 0.3 END) AS raw_score
        FROM named n
    ),
    scored AS (
        SELECT r.*,
               round(least(1, greatest(0, r.raw_score
                   * CASE WHEN r.name_score < 0.4 OR r.generation_differs THEN 0.5 ELSE 1 END)
               )::numeric, 3) AS score,
               (r.a_email IS NOT NULL AND r.b_email IS NOT NULL AND r.a_email <> r.b_email
                AND people.is_personal_email_domain(r.a_domain)
                    <> people.is_personal_email_domain(r.b_domain)) AS personal_vs_work
        FROM rated r
        -- a name-only candidate must look like the same person; an identifier match always counts
        WHERE (r.email_eq OR r.li_eq OR r.phone_eq)
           OR (r.name_score >= 0.6 AND NOT r.generation_differs
               AND (r.company_eq OR r.work_domain_eq))
    ),
    ins AS (
        INSERT INTO people.resolution_queue AS q
            (contact_primary_id, contact_duplicate_id, conflict_type, score, evidence,
             recommendation, resolution_status, created_at)
        SELECT s.lo, s.hi,
               CASE WHEN s.email_eq THEN 'email'
                    WHEN s.li_eq THEN 'linkedin'
                    WHEN s.phone_eq THEN 'phone'
                    WHEN s.company_eq THEN 'name_company'
                    ELSE 'name_similar' END,
               s.score,
               jsonb_build_object(
                   'rules', to_jsonb(array_remove(ARRAY[
                       CASE WHEN s.email_eq THEN 'same_email' END,
                       CASE WHEN s.li_eq THEN 'same_linkedin' END,
                       CASE WHEN s.phone_eq THEN 'same_phone' END,
                       CASE WHEN NOT s.email_eq AND NOT s.li_eq AND NOT s.phone_eq
                                 AND s.company_eq THEN 'similar_name_same_company' END,
                       CASE WHEN NOT s.email_eq AND NOT s.li_eq AND NOT s.phone_eq
                                 AND NOT s.company_eq THEN 'similar_name_same_domain' END],
                       NULL)),
                   'email', CASE
                       WHEN s.a_email IS NULL OR s.b_email IS NULL
                           THEN jsonb_build_object('result', 'missing')
                       WHEN s.a_raw_email = s.b_raw_email
                           THEN jsonb_build_object('result', 'equal', 'rule', 'same_email')
                       WHEN s.email_eq
                           THEN jsonb_build_object('result', 'equal', 'rule', 'normalised_email',
                                                   'normalised', s.a_email)
                       WHEN s.personal_vs_work
                           THEN jsonb_build_object('result', 'different', 'note', 'personal_vs_work')
                       ELSE jsonb_build_object('result', 'different') END,
                   'email_domain', CASE
                       WHEN s.a_domain IS NULL OR s.b_domain IS NULL
                           THEN jsonb_build_object('result', 'missing')
                       WHEN s.a_domain = s.b_domain
                           THEN jsonb_build_object('result', 'equal', 'personal',
                                                   people.is_personal_email_domain(s.a_domain))
                       ELSE jsonb_build_object('result', 'different') END,
                   'name', CASE
                       WHEN s.a_name = s.b_name THEN jsonb_build_object('result', 'equal')
                       WHEN s.generation_differs
                           THEN jsonb_build_object('result', 'different', 'rule', 'generation',
                                                   'suffixes', jsonb_build_array(s.a_suffix, s.b_suffix))
                       WHEN s.name_score >= 0.5
                           THEN jsonb_build_object('result', 'similar',
                                                   'score', round(s.name_score::numeric, 3),
                                                   'rule', CASE WHEN s.nickname_match AND s.trigram < 0.85
                                                                THEN 'nickname' ELSE 'trigram' END)
                       ELSE jsonb_build_object('result', 'different',
                                               'score', round(s.name_score::numeric, 3)) END,
                   'company', CASE
                       WHEN s.a_company IS NULL OR s.b_company IS NULL
                           THEN jsonb_build_object('result', 'missing')
                       WHEN s.company_eq THEN jsonb_build_object('result', 'equal')
                       ELSE jsonb_build_object('result', 'different') END,
                   'linkedin', CASE
                       WHEN s.a_li IS NULL OR s.b_li IS NULL
                           THEN jsonb_build_object('result', 'missing')
                       WHEN s.li_eq THEN jsonb_build_object('result', 'equal',
                                                            'rule', 'normalised_linkedin')
                       ELSE jsonb_build_object('result', 'different') END,
                   'phone', CASE
                       WHEN cardinality(s.a_ph) = 0 OR cardinality(s.b_ph) = 0
                           THEN jsonb_build_object('result', 'missing')
                       WHEN s.phone_eq THEN jsonb_build_object('result', 'equal', 'rule', 'e164')
                       ELSE jsonb_build_object('result', 'different') END),
               CASE
                   WHEN s.name_score < 0.6 OR s.generation_differs THEN 'review'
                   WHEN s.a_company IS NOT NULL AND s.b_company IS NOT NULL
                        AND s.a_company <> s.b_company THEN 'likely_job_change'
                   WHEN s.personal_vs_work THEN 'merge_keep_work_email'
                   ELSE 'merge' END,
               'pending', clock_timestamp()
        FROM scored s
        ON CONFLICT (least(contact_primary_id, contact_duplicate_id),
                     greatest(contact_primary_id, contact_duplicate_id)) DO NOTHING
        RETURNING q.conflict_type
    )
    SELECT jsonb_build_object(
               'candidate_pairs', (SELECT count(*) FROM cand),
               'already_known', (SELECT count(*) FROM cand) - (SELECT count(*) FROM fresh),
               'inserted', (SELECT count(*) FROM ins),
               'by_type', coalesce((SELECT jsonb_object_agg(t.conflict_type, t.n)
                                    FROM (SELECT conflict_type, count(*) AS n FROM ins
                                          GROUP BY conflict_type) t), '{}'::jsonb))
      INTO v_result;
    RETURN v_result;
END
$$;
COMMENT ON FUNCTION people.detect_duplicates() IS 'v1';
REVOKE EXECUTE ON FUNCTION people.detect_duplicates() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION people.detect_duplicates() TO outreach_app;
