-- people.detect_duplicates (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0004_duplicate_detection_v2: people.detect_duplicates() v2 (issue 11, B12).
--   v1 recomputed the plpgsql normalisers (normalize_name, canonical_first_name, email_domain)
--   for both sides of every pair inside each block join: 23 s for 50k people. v2 computes each
--   person's blocking keys once (a materialised CTE), joins blocks on those keys, and compares
--   names by trigram only inside small blocks (large employers/domains are sub-blocked by
--   canonical first name and last-name prefix). Scoring, evidence, recommendations and the
--   "never propose a known pair again" rule are unchanged (the judging stages are v1's).
-- Run by the schema owner; SECURITY INVOKER as before (the app role needs SELECT on
-- people.contact and people.nickname, INSERT on people.resolution_queue).

CREATE OR REPLACE FUNCTION people.detect_duplicates()
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_result jsonb;
BEGIN
    -- Every live person's blocking keys, computed once per person (v1 recomputed the
    -- normalisers for both sides of every candidate pair). OFFSET 0 keeps each normaliser a
    -- single call per row instead of one per reference.
    WITH k AS MATERIALIZED (
        SELECT x.contact_id AS id, x.company_id, x.lname, x.nname, x.nemail, x.li,
               coalesce(nk.canonical, nullif(split_part(x.nname, ' ', 1), '')) AS first_key,
               left(substring(x.nname FROM '([^ ]+)$'), 3) AS last3,
               nullif(split_part(x.nemail, '@', 2), '') AS domain
        FROM (
            SELECT p.contact_id, p.company_id, lower(p.full_name) AS lname,
                   people.normalize_name(p.full_name) AS nname,
                   CASE WHEN p.email IS NOT NULL THEN people.normalize_email(p.email) END AS nemail,
                   -- LinkedIn key: the profile slug, by string functions (no regex) when the
                   -- URL has /in/, else from the full normaliser (five regexes). Equal
                   -- normalised URLs give equal keys; the judge compares the normalised values.
                   CASE WHEN p.linkedin_url IS NULL THEN NULL
                        ELSE coalesce('s:' || nullif(split_part(split_part(split_part(
                                 split_part(lower(btrim(p.linkedin_url)), '/in/', 2), '/', 1),
                                 '?', 1), '#', 1), ''),
                             (SELECT CASE WHEN z.n LIKE 'linkedin.com/in/%'
                                          THEN 's:' || substr(z.n, 17) ELSE 'n:' || z.n END
                              FROM (SELECT people.normalize_linkedin(p.linkedin_url) AS n) z))
                   END AS li
            FROM people.contact p
            WHERE p.status <> 'merged'
            OFFSET 0
        ) x
        LEFT JOIN people.nickname nk ON nk.name = split_part(x.nname, ' ', 1)
    ),
    -- Name blocks: the same employer, or the same work e-mail domain (free-mail domains say
    -- nothing about working together). Within a small block every pair is compared by trigram;
    -- a large block (a big employer) is cut into sub-blocks by canonical first name and by the
    -- first three letters of the last name, so no block costs a quadratic trigram scan.
    work_domain AS MATERIALIZED (
        SELECT k.domain FROM k WHERE k.domain IS NOT NULL GROUP BY k.domain
        HAVING count(*) > 1 AND NOT people.is_personal_email_domain(k.domain)
    ),
    blk AS MATERIALIZED (
        SELECT b.kind, b.key, k.id, k.company_id, k.lname, k.first_key, k.last3,
               count(*) OVER (PARTITION BY b.kind, b.key) AS n
        FROM k
        CROSS JOIN LATERAL (VALUES ('company', k.company_id::text), ('domain', k.domain)) b(kind, key)
        WHERE b.key IS NOT NULL
          AND (b.kind = 'company' OR b.key IN (SELECT w.domain FROM work_domain w))
    ),
    phones AS (
        SELECT p.contact_id, ph
        FROM people.contact p
        CROSS JOIN LATERAL unnest(ARRAY[CASE WHEN p.phone IS NOT NULL
                                             THEN people.normalize_phone(p.phone) END,
                                        p.work_phone_e164,
                                        p.personal_phone_e164]) AS ph
        WHERE p.status <> 'merged' AND ph IS NOT NULL
    ),
    cand AS (
        SELECT a.id AS lo, b.id AS hi
        FROM k a JOIN k b ON b.nemail = a.nemail AND b.id > a.id
        UNION
        SELECT a.id, b.id
        FROM k a JOIN k b ON b.li = a.li AND b.id > a.id
        UNION
        SELECT a.contact_id, b.contact_id
        FROM phones a JOIN phones b ON b.ph = a.ph AND b.contact_id > a.contact_id
        UNION
        SELECT a.id, b.id
        FROM blk a
        JOIN blk b ON b.kind = a.kind AND b.key = a.key AND b.id > a.id
        WHERE a.n <= 100
          -- a pair of colleagues is compared once, in its company block
          AND (a.kind = 'company' OR a.company_id IS DISTINCT FROM b.company_id)
          AND (public.similarity(a.lname, b.lname) >= 0.4 OR a.first_key = b.first_key)
        UNION
        SELECT a.id, b.id
        FROM blk a
        JOIN blk b ON b.kind = a.kind AND b.key = a.key AND b.first_key = a.first_key
                  AND b.id > a.id
        WHERE a.n > 100
        UNION
        SELECT a.id, b.id
        FROM blk a
        JOIN blk b ON b.kind = a.kind AND b.key = a.key AND b.last3 = a.last3 AND b.id > a.id
        WHERE a.n > 100 AND public.similarity(a.lname, b.lname) >= 0.4
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

COMMENT ON FUNCTION people.detect_duplicates() IS 'v2';

REVOKE EXECUTE ON FUNCTION people.detect_duplicates() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION people.detect_duplicates() TO outreach_app;
