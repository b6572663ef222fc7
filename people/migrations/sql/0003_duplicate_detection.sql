-- 0003_duplicate_detection: finding duplicate people in SQL (issue 5, WORKFLOWS.md §2).
--   * normalisers people.normalize_email / normalize_linkedin / normalize_phone / normalize_name,
--     people.email_domain, people.is_personal_email_domain, people.name_suffix (IMMUTABLE, so
--     they can back expression indexes)
--   * people.nickname: nickname → canonical first name, kept as data
--   * partial expression indexes on live (non-merged) people so every blocking join is indexed
--   * people.detect_duplicates(): the set-based detector; inserts new candidate pairs into
--     people.resolution_queue with conflict_type, score, evidence and a typed recommendation.
--     A pair already in the queue (pending, judged not_duplicate, merged, deferred) is never
--     proposed again: ON CONFLICT on the unordered-pair unique index.
-- Run by the schema owner. The detector is SECURITY INVOKER: the app role calls it with its own
-- grants (SELECT people.contact, INSERT people.resolution_queue).

CREATE OR REPLACE FUNCTION people.normalize_email(p_email text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := lower(btrim(p_email));
    v_local text;
    v_domain text;
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    IF strpos(v, '@') = 0 THEN
        RETURN v;
    END IF;
    v_local := split_part(v, '@', 1);
    v_domain := substr(v, length(v_local) + 2);
    v_local := split_part(v_local, '+', 1);
    IF v_domain = 'googlemail.com' THEN
        v_domain := 'gmail.com';
    END IF;
    IF v_domain = 'gmail.com' THEN
        v_local := replace(v_local, '.', '');
    END IF;
    RETURN v_local || '@' || v_domain;
END
$$;
COMMENT ON FUNCTION people.normalize_email(text) IS 'v1';

CREATE OR REPLACE FUNCTION people.email_domain(p_email text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT nullif(split_part(people.normalize_email(p_email), '@', 2), '')
$$;
COMMENT ON FUNCTION people.email_domain(text) IS 'v1';

-- Free-mail domains: a shared domain there says nothing about working together.
CREATE OR REPLACE FUNCTION people.is_personal_email_domain(p_domain text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT lower(p_domain) = ANY (ARRAY[
        'gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'hotmail.com', 'outlook.com',
        'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me',
        'protonmail.com', 'gmx.com', 'mail.com', 'comcast.net', 'verizon.net', 'att.net',
        'sbcglobal.net', 'yahoo.co.uk', 'hotmail.co.uk'])
$$;
COMMENT ON FUNCTION people.is_personal_email_domain(text) IS 'v1';

CREATE OR REPLACE FUNCTION people.normalize_linkedin(p_url text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := lower(btrim(p_url));
    v_slug text[];
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    v := regexp_replace(v, '^[a-z]+://', '');
    v := regexp_replace(v, '[?#].*$', '');
    v := regexp_replace(v, '^([a-z]{2,3}\.|www\.)+', '');
    -- /in/<slug> and /pub/<slug>; anything after the slug (/en, /de, /detail/…) is a locale or
    -- a sub-page of the same profile.
    v_slug := regexp_match(v, '^linkedin\.com/(in|pub)/([^/]+)');
    IF v_slug IS NOT NULL THEN
        RETURN 'linkedin.com/in/' || v_slug[2];
    END IF;
    RETURN regexp_replace(v, '/+$', '');
END
$$;
COMMENT ON FUNCTION people.normalize_linkedin(text) IS 'v1';

-- Best-effort E.164: digits only; 10 digits are a US/NANP number (+1); 00 is an international
-- prefix; an extension (x123, ext. 123) is dropped. Fewer than 7 digits is not a phone number.
CREATE OR REPLACE FUNCTION people.normalize_phone(p_phone text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := btrim(p_phone);
    v_digits text;
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    v := regexp_replace(v, '\s*(x|ext\.?|extension)\s*[0-9]+\s*$', '', 'i');
    v_digits := regexp_replace(v, '[^0-9]', '', 'g');
    IF length(v_digits) < 7 THEN
        RETURN NULL;
    END IF;
    IF left(v, 1) = '+' THEN
        RETURN '+' || v_digits;
    END IF;
    IF left(v_digits, 2) = '00' THEN
        RETURN '+' || substr(v_digits, 3);
    END IF;
    IF length(v_digits) = 10 THEN
        RETURN '+1' || v_digits;
    END IF;
    IF length(v_digits) = 11 AND left(v_digits, 1) = '1' THEN
        RETURN '+' || v_digits;
    END IF;
    RETURN '+' || v_digits;
END
$$;
COMMENT ON FUNCTION people.normalize_phone(text) IS 'v1';

-- Lower case, letters only, without titles, generational suffixes and middle initials.
CREATE OR REPLACE FUNCTION people.normalize_name(p_name text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := lower(coalesce(p_name, ''));
BEGIN
    v := regexp_replace(v, '[^[:alpha:][:space:]]', ' ', 'g');
    v := regexp_replace(v, '\m(jr|sr|ii|iii|iv|phd|md|mba|cpa|esq|dr|mr|mrs|ms|prof)\M', ' ', 'g');
    v := regexp_replace(v, '\m[[:alpha:]]\M', ' ', 'g');
    v := btrim(regexp_replace(v, '\s+', ' ', 'g'));
    RETURN nullif(v, '');
END
$$;
COMMENT ON FUNCTION people.normalize_name(text) IS 'v1';

-- Generational suffix (jr, sr, ii, iii, iv): a father and son share a name, not an identity.
CREATE OR REPLACE FUNCTION people.name_suffix(p_name text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (regexp_match(lower(p_name), '\m(jr|sr|ii|iii|iv)\M'))[1]
$$;
COMMENT ON FUNCTION people.name_suffix(text) IS 'v1';

CREATE TABLE IF NOT EXISTS people.nickname (
    name text PRIMARY KEY CHECK (name = lower(name)),
    canonical text NOT NULL CHECK (canonical = lower(canonical))
);
COMMENT ON TABLE people.nickname IS 'Nickname → canonical first name (Bob → robert), for duplicate detection.';
GRANT SELECT ON people.nickname TO outreach_app;

INSERT INTO people.nickname (name, canonical) VALUES
    ('bob', 'robert'), ('bobby', 'robert'), ('rob', 'robert'), ('robbie', 'robert'),
    ('bert', 'robert'), ('bill', 'william'), ('billy', 'william'), ('will', 'william'),
    ('willy', 'william'), ('liam', 'william'), ('liz', 'elizabeth'), ('lizzie', 'elizabeth'),
    ('beth', 'elizabeth'), ('betty', 'elizabeth'), ('eliza', 'elizabeth'),
    ('libby', 'elizabeth'), ('kate', 'katherine'), ('katie', 'katherine'),
    ('kathy', 'katherine'), ('kat', 'katherine'), ('catherine', 'katherine'),
    ('kathryn', 'katherine'), ('jim', 'james'), ('jimmy', 'james'), ('jamie', 'james'),
    ('mike', 'michael'), ('mikey', 'michael'), ('mick', 'michael'), ('dick', 'richard'),
    ('rick', 'richard'), ('rich', 'richard'), ('richie', 'richard'), ('tom', 'thomas'),
    ('tommy', 'thomas'), ('joe', 'joseph'), ('joey', 'joseph'), ('dave', 'david'),
    ('davy', 'david'), ('dan', 'daniel'), ('danny', 'daniel'), ('chris', 'christopher'),
    ('matt', 'matthew'), ('tony', 'anthony'), ('steve', 'steven'), ('stephen', 'steven'),
    ('andy', 'andrew'), ('drew', 'andrew'), ('ed', 'edward'), ('eddie', 'edward'),
    ('ted', 'edward'), ('ken', 'kenneth'), ('kenny', 'kenneth'), ('larry', 'lawrence'),
    ('greg', 'gregory'), ('jeff', 'jeffrey'), ('geoff', 'jeffrey'), ('jon', 'jonathan'),
    ('johnny', 'john'), ('jack', 'john'), ('nick', 'nicholas'), ('sam', 'samuel'),
    ('ben', 'benjamin'), ('alex', 'alexander'), ('pat', 'patrick'), ('tim', 'timothy'),
    ('pete', 'peter'), ('charlie', 'charles'), ('chuck', 'charles'), ('fred', 'frederick'),
    ('frank', 'francis'), ('hank', 'henry'), ('harry', 'henry'), ('ron', 'ronald'),
    ('don', 'donald'), ('doug', 'douglas'), ('gene', 'eugene'), ('jerry', 'gerald'),
    ('walt', 'walter'), ('vince', 'vincent'), ('phil', 'phillip'), ('philip', 'phillip'),
    ('ray', 'raymond'), ('sue', 'susan'), ('suzy', 'susan'), ('jen', 'jennifer'),
    ('jenny', 'jennifer'), ('jess', 'jessica'), ('jessie', 'jessica'), ('meg', 'margaret'),
    ('maggie', 'margaret'), ('peggy', 'margaret'), ('patty', 'patricia'),
    ('trish', 'patricia'), ('debbie', 'deborah'), ('deb', 'deborah'), ('cindy', 'cynthia'),
    ('barb', 'barbara'), ('vicky', 'victoria'), ('becky', 'rebecca'), ('abby', 'abigail'),
    ('mandy', 'amanda'), ('sandy', 'sandra'), ('cathy', 'katherine'), ('chrissy', 'christine'),
    ('tina', 'christina'), ('nancy', 'ann'), ('annie', 'ann'), ('anne', 'ann'),
    ('jo', 'joanne'), ('val', 'valerie'), ('terry', 'theresa'), ('tess', 'theresa')
ON CONFLICT (name) DO UPDATE SET canonical = EXCLUDED.canonical;

-- The letters of a word in sorted order: equal for a word and its transposition typo
-- (Nakamura / Nakmaura), which trigrams score low.
CREATE OR REPLACE FUNCTION people.sorted_letters(p_word text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT string_agg(ch, '' ORDER BY ch) FROM regexp_split_to_table(p_word, '') AS ch
$$;
COMMENT ON FUNCTION people.sorted_letters(text) IS 'v1';

-- Canonical first name of a normalised full name (its first word), through the nickname table.
CREATE OR REPLACE FUNCTION people.canonical_first_name(p_normalized_name text)
RETURNS text
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT n.canonical FROM people.nickname n
                     WHERE n.name = split_part(p_normalized_name, ' ', 1)),
                    nullif(split_part(p_normalized_name, ' ', 1), ''))
$$;
COMMENT ON FUNCTION people.canonical_first_name(text) IS 'v1';

-- Blocking indexes: partial on live people, on exactly the expressions the detector joins on.
CREATE INDEX IF NOT EXISTS contact_norm_email_idx
    ON people.contact (people.normalize_email(email)) WHERE status <> 'merged';
CREATE INDEX IF NOT EXISTS contact_email_domain_idx
    ON people.contact (people.email_domain(email)) WHERE status <> 'merged';
CREATE INDEX IF NOT EXISTS contact_norm_linkedin_idx
    ON people.contact (people.normalize_linkedin(linkedin_url)) WHERE status <> 'merged';
CREATE INDEX IF NOT EXISTS contact_norm_phone_idx
    ON people.contact (people.normalize_phone(phone)) WHERE status <> 'merged';
CREATE INDEX IF NOT EXISTS contact_work_phone_idx
    ON people.contact (work_phone_e164) WHERE status <> 'merged';
CREATE INDEX IF NOT EXISTS contact_personal_phone_idx
    ON people.contact (personal_phone_e164) WHERE status <> 'merged';

-- The detector. Candidate pairs come only from blocks (equal normalised email, LinkedIn or
-- phone; same company or same work e-mail domain for names), never from all pairs, so it stays
-- linear-ish at hundreds of thousands of people. Returns counts as jsonb.
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
