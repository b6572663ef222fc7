-- intake.f_ingest_json (function, v7): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- intake 0101 (issue 16, B9): v7 does less per row for the same results: a pending row's
-- metadata is built without jsonb_strip_nulls (~4.6 us a row), and the lock pass reads each
-- e-mail once instead of typing the row and its e-mail first. Otherwise as v6, which read:
--
-- intake 0093 (issue 19): a row without "_norm" (a raw caller's: the app's upload adds "_norm"
-- and its parser already refuses these, intake.parsing.MAX_DEPTH / MAX_INT_DIGITS) fails with its
-- reason when it nests deeper than 64 levels or holds a number of 4,301 digits or more (its
-- text: jsonb prints numbers without exponent). Pages decode such rows defensively
-- (outreach_admin.stored_json), so this keeps raw callers to the upload's rule; the walk costs
-- ~1 s per 100,000 rows, which is why rows with "_norm" skip it. Otherwise as v5 (intake 0090:
-- the audit/summary actor is public.current_actor()).
CREATE OR REPLACE FUNCTION intake.f_ingest_json(p_rows jsonb[], p_source text, p_batch_id text)
RETURNS TABLE (load_id bigint, status text, message text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- v4: plan with the real number of rows on every call. A streamed upload calls this ~50 times
-- in one session; from the 6th call PL/pgSQL would switch to a generic plan that estimates
-- unnest(p_rows) at 10 rows and loops over every pair of rows (25M per 5,000-row chunk).
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
DECLARE
    -- Advisory-lock namespace of this function (first key of the two-int lock).
    c_lock_space CONSTANT integer := pg_catalog.hashtext('intake.f_ingest_json:email');
    -- Number of lock buckets (a power of two): the most advisory locks one transaction holds.
    c_buckets CONSTANT integer := 1024;
    -- Longest value of a vocabulary / "_norm" field (characters, and bytes: 4 per character
    -- would pass the ~2.7 KB btree entry limit).
    c_value_chars CONSTANT integer := 1000;
    c_value_bytes CONSTANT integer := 2000;
    -- The raw field vocabulary v2 (notes/RAW_V2.md): the keys whose values reach indexed columns.
    c_fields CONSTANT text[] := ARRAY[
        'email', 'email_status', 'full_name', 'name', 'first_name', 'last_name', 'title',
        'seniority', 'department', 'phone', 'work_phone', 'mobile_phone', 'linkedin_url', 'city',
        'state', 'country', 'company_name', 'company', 'website', 'company_website', 'domain',
        'company_linkedin_url', 'company_phone', 'employee_count', 'industry', 'company_city',
        'company_state', 'company_country'];
BEGIN
    IF p_source IS NULL OR pg_catalog.btrim(p_source) = '' THEN
        RAISE EXCEPTION 'p_source must not be blank' USING ERRCODE = '22023',
            HINT = 'Name the data source, e.g. apollo, apify or manual.';
    END IF;
    IF p_batch_id IS NULL OR pg_catalog.btrim(p_batch_id) = '' THEN
        RAISE EXCEPTION 'p_batch_id must not be blank' USING ERRCODE = '22023',
            HINT = 'Give every ingest call a batch identifier.';
    END IF;
    IF p_batch_id ~ '[\x01-\x1f\x7f]' THEN
        RAISE EXCEPTION 'p_batch_id must not contain control characters (U+0000-U+001F, U+007F)'
            USING ERRCODE = '22023',
                  HINT = 'Use printable characters only, e.g. apollo-2026-12-03.';
    END IF;
    IF pg_catalog.length(p_batch_id) > 500 THEN
        RAISE EXCEPTION 'p_batch_id must be at most 500 characters (got %)',
            pg_catalog.length(p_batch_id) USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.length(p_source) > 100 THEN
        RAISE EXCEPTION 'p_source must be at most 100 characters (got %)',
            pg_catalog.length(p_source) USING ERRCODE = '22023';
    END IF;
    IF p_rows IS NULL THEN
        RAISE EXCEPTION 'p_rows must not be NULL (pass an empty array for no rows)'
            USING ERRCODE = '22023';
    END IF;

    -- Serialise with concurrent ingests of the same emails (sorted: no lock-order deadlock).
    -- One lock per bucket of email hashes, not per email: a streamed upload calls this once per
    -- chunk in ONE transaction, and 100,000 per-email locks overflow the shared lock table
    -- ("out of shared memory", max_locks_per_transaction). c_buckets bounds it per transaction.
    PERFORM pg_catalog.count(pg_catalog.pg_advisory_xact_lock(c_lock_space, k.h))
    FROM (SELECT DISTINCT pg_catalog.hashtext(pg_catalog.lower(pg_catalog.btrim(t.r ->> 'email')))
                          & (c_buckets - 1) AS h
          FROM pg_catalog.unnest(p_rows) AS t(r)
          -- (NULL for a row that is not an object or has no e-mail. A number's text locks a
          -- bucket for nothing, which is harmless)
          WHERE t.r ->> 'email' IS NOT NULL
          ORDER BY 1) AS k;

    RETURN QUERY
    WITH input AS (
        SELECT t.ord::integer AS pos, t.r AS raw
        FROM pg_catalog.unnest(p_rows) WITH ORDINALITY AS t(r, ord)
    ),
    -- Each of the row's lookups once (OFFSET 0 keeps the subquery from being flattened back
    -- into one copy of the expression per CASE branch).
    checked AS (
        SELECT x.pos,
               x.raw,
               pg_catalog.lower(pg_catalog.btrim(x.email_text)) AS email,
               CASE
                   WHEN x.raw IS NULL OR x.row_type <> 'object'
                       THEN 'row is not a JSON object'
                   WHEN x.email_type IS NULL OR x.email_type = 'null'
                       THEN 'email is missing'
                   WHEN x.email_type <> 'string'
                       THEN 'email is not a string'
                   WHEN pg_catalog.btrim(x.email_text) = ''
                       THEN 'email is blank'
                   WHEN pg_catalog.strpos(x.email_text, '@') = 0
                       THEN 'email has no @'
               END AS skip_reason
        FROM (SELECT i.pos, i.raw,
                     pg_catalog.jsonb_typeof(i.raw) AS row_type,
                     pg_catalog.jsonb_typeof(i.raw -> 'email') AS email_type,
                     i.raw ->> 'email' AS email_text
              FROM input i
              OFFSET 0) AS x
    ),
    -- A row that is stored but failed at once (its reason), or NULL. Evaluated only for rows
    -- with a usable e-mail; each rule is a lookup in the row, no loop.
    judged AS (
        SELECT c.pos, c.raw, c.email,
               CASE
                   WHEN pg_catalog.length(c.email) > 254
                       THEN pg_catalog.format('email is %s characters (limit 254)',
                                              pg_catalog.length(c.email))
                   WHEN c.email ~ '[\x01-\x1f\x7f]'
                       THEN 'email contains control characters'
                   -- (the text form is at most 6x the binary one, \u0001 for a byte: the
                   -- row is serialised only when it might be over 1 MB)
                   WHEN pg_catalog.pg_column_size(c.raw) > 1048576 / 8
                        AND pg_catalog.octet_length(c.raw::text) > 1048576
                       THEN 'row is larger than 1 MB'
                   WHEN c.raw ? '_norm'
                        AND pg_catalog.jsonb_typeof(c.raw -> '_norm') NOT IN ('object', 'null')
                       THEN 'reserved key "_norm" is not an object'
                   WHEN NOT c.raw ? '_norm'
                        AND pg_catalog.jsonb_path_exists(c.raw, 'strict $.**{64 to last}')
                       THEN 'row nests deeper than 64 levels'
                   WHEN NOT c.raw ? '_norm'
                        AND pg_catalog.jsonb_path_exists(
                                c.raw, 'strict $.** ? (@ >= 1e4300 || @ <= -1e4300)')
                       THEN 'row has a number of more than 4,300 digits'
                   -- The exact per-field check below runs only for a row where a value could
                   -- be too long (v3 ran it for every row over 1000 bytes: ~97% of vendor rows
                   -- with their "_norm", a third of the function's time on Apollo files):
                   -- a vocabulary field whose text is over c_value_chars bytes (bytes >=
                   -- characters), or a "_norm" over c_value_chars bytes, or a "_norm" with a
                   -- value that is not a string (a number's or container's text can be far
                   -- longer than its stored size: 1e-1000, escapes). A "_norm" string takes its
                   -- UTF-8 length in jsonb, and array elements are never compressed, so
                   -- pg_column_size bounds every "_norm" string. The GREATEST list is
                   -- c_fields spelled out (keep the two alike): unnesting c_fields per row is
                   -- the cost this gate exists to avoid.
                   WHEN GREATEST(
                            pg_catalog.octet_length(c.raw ->> 'email'),
                            pg_catalog.octet_length(c.raw ->> 'email_status'),
                            pg_catalog.octet_length(c.raw ->> 'full_name'),
                            pg_catalog.octet_length(c.raw ->> 'name'),
                            pg_catalog.octet_length(c.raw ->> 'first_name'),
                            pg_catalog.octet_length(c.raw ->> 'last_name'),
                            pg_catalog.octet_length(c.raw ->> 'title'),
                            pg_catalog.octet_length(c.raw ->> 'seniority'),
                            pg_catalog.octet_length(c.raw ->> 'department'),
                            pg_catalog.octet_length(c.raw ->> 'phone'),
                            pg_catalog.octet_length(c.raw ->> 'work_phone'),
                            pg_catalog.octet_length(c.raw ->> 'mobile_phone'),
                            pg_catalog.octet_length(c.raw ->> 'linkedin_url'),
                            pg_catalog.octet_length(c.raw ->> 'city'),
                            pg_catalog.octet_length(c.raw ->> 'state'),
                            pg_catalog.octet_length(c.raw ->> 'country'),
                            pg_catalog.octet_length(c.raw ->> 'company_name'),
                            pg_catalog.octet_length(c.raw ->> 'company'),
                            pg_catalog.octet_length(c.raw ->> 'website'),
                            pg_catalog.octet_length(c.raw ->> 'company_website'),
                            pg_catalog.octet_length(c.raw ->> 'domain'),
                            pg_catalog.octet_length(c.raw ->> 'company_linkedin_url'),
                            pg_catalog.octet_length(c.raw ->> 'company_phone'),
                            pg_catalog.octet_length(c.raw ->> 'employee_count'),
                            pg_catalog.octet_length(c.raw ->> 'industry'),
                            pg_catalog.octet_length(c.raw ->> 'company_city'),
                            pg_catalog.octet_length(c.raw ->> 'company_state'),
                            pg_catalog.octet_length(c.raw ->> 'company_country'))
                            > c_value_chars
                        OR pg_catalog.pg_column_size(c.raw -> '_norm') > c_value_chars
                        OR pg_catalog.jsonb_path_exists(
                               c.raw, '$."_norm".* ? (@.type() != "string")')
                   THEN (SELECT pg_catalog.format(
                                    'value of "%s" is %s characters (limit %s characters, %s bytes)',
                                    f.key, pg_catalog.length(f.value), c_value_chars,
                                    c_value_bytes)
                         FROM (SELECT k AS key, c.raw ->> k AS value
                               FROM pg_catalog.unnest(c_fields) AS k
                               UNION ALL
                               SELECT '_norm.' || n.key, n.value
                               FROM pg_catalog.jsonb_each_text(
                                        CASE WHEN pg_catalog.jsonb_typeof(c.raw -> '_norm')
                                                  = 'object'
                                             THEN c.raw -> '_norm' END) AS n) AS f
                         WHERE pg_catalog.length(f.value) > c_value_chars
                            OR pg_catalog.octet_length(f.value) > c_value_bytes
                         LIMIT 1)
               END AS fail_reason
        FROM checked c
        WHERE c.skip_reason IS NULL
    ),
    -- load_ids allocated in input order (nextval in a sorted select list is evaluated after
    -- the sort), so a row can name an earlier row of the same call as the load it duplicates.
    kept AS (
        SELECT j.pos, j.raw, j.email, j.fail_reason,
               pg_catalog.nextval('intake.raw_loads_load_id_seq'::pg_catalog.regclass)
                   AS load_id
        FROM judged j
        ORDER BY j.pos
    ),
    -- Failed rows take no part in the duplicate rule: each is its own partition. (COLLATE "C":
    -- equal e-mails only need grouping, and byte order sorts faster than the database's.)
    numbered AS (
        SELECT k.pos, k.raw, k.email, k.fail_reason, k.load_id,
               CASE WHEN k.fail_reason IS NULL
                    THEN pg_catalog.first_value(k.load_id) OVER (
                             PARTITION BY k.fail_reason IS NULL, k.email COLLATE "C" ORDER BY k.pos)
                    ELSE k.load_id END AS first_id
        FROM kept k
    ),
    -- One index probe per distinct e-mail (LATERAL: the probe is always the inner side). A
    -- join the planner may turn around became a loop over every recent load per chunk when
    -- raw_loads had been analysed empty (v3: 2.9 s for the 2nd chunk, growing per chunk).
    -- "+ 0" on load_id and created_at: neither the primary key nor the created_at index can
    -- serve the probe, so it is the e-mail index (or, on a near-empty table, a short scan)
    -- whatever the statistics say; v4's first try picked the created_at index and scanned
    -- every recent load per e-mail when the table had been analysed empty.
    earlier AS (
        SELECT u.email, e.load_id
        FROM (SELECT DISTINCT k.email FROM kept k WHERE k.fail_reason IS NULL) AS u
        CROSS JOIN LATERAL (
            SELECT pg_catalog.min(r.load_id + 0) AS load_id
            FROM intake.raw_loads r
            WHERE pg_catalog.lower(pg_catalog.btrim(r.raw_data ->> 'email')) = u.email
              AND pg_catalog.octet_length(pg_catalog.btrim(r.raw_data ->> 'email')) <= 1024
              AND r.created_at + interval '0 days' >= pg_catalog.now() - interval '30 days'
           ) AS e
        WHERE e.load_id IS NOT NULL
    ),
    decided AS (
        SELECT n.pos, n.raw, n.email, n.load_id, n.fail_reason,
               CASE WHEN n.fail_reason IS NOT NULL THEN 'failed'
                    WHEN e.load_id IS NOT NULL OR n.first_id <> n.load_id
                    THEN 'duplicate' ELSE 'pending' END AS status,
               coalesce(e.load_id, CASE WHEN n.first_id <> n.load_id THEN n.first_id END)
                   AS duplicate_of,
               CASE WHEN e.load_id IS NOT NULL THEN 'loaded within the last 30 days'
                    WHEN n.first_id <> n.load_id THEN 'earlier in the same batch' END
                   AS duplicate_reason
        FROM numbered n
        LEFT JOIN earlier e ON e.email = n.email AND n.fail_reason IS NULL
    ),
    inserted AS (
        INSERT INTO intake.raw_loads (load_id, batch_id, source, raw_data, status, metadata)
        SELECT d.load_id, p_batch_id, p_source, d.raw, d.status,
               CASE WHEN d.status = 'pending'
                    -- (most rows: the two keys, without building and stripping three nulls)
                    THEN pg_catalog.jsonb_build_object('position', d.pos,
                                                       'email_normalized', d.email)
                    ELSE pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                        'position', d.pos,
                        'email_normalized', CASE WHEN d.fail_reason IS NULL THEN d.email END,
                        'failure_reason', d.fail_reason,
                        'duplicate_of', d.duplicate_of,
                        'duplicate_reason', d.duplicate_reason)) END
        FROM decided d
        ORDER BY d.load_id
        RETURNING 1
    ),
    counts AS (
        SELECT (SELECT pg_catalog.count(*) FROM decided d WHERE d.status = 'pending')::integer
                   AS n_pending,
               (SELECT pg_catalog.count(*) FROM decided d WHERE d.status = 'duplicate')::integer
                   AS n_duplicate,
               (SELECT pg_catalog.count(*) FROM decided d WHERE d.status = 'failed')::integer
                   AS n_failed,
               (SELECT pg_catalog.count(*) FROM checked c WHERE c.skip_reason IS NOT NULL)::integer
                   AS n_skipped,
               (SELECT pg_catalog.count(*) FROM inserted)::integer AS n_inserted_rows
    ),
    audit AS (
        INSERT INTO intake.audit_log (action, user_name, batch_id, record_count, details)
        SELECT 'batch_ingested',
               public.current_actor(),
               p_batch_id,
               c.n_inserted_rows,
               pg_catalog.jsonb_build_object(
                   'source', p_source,
                   'rows', pg_catalog.cardinality(p_rows),
                   'pending', c.n_pending,
                   'duplicate', c.n_duplicate,
                   'skipped', c.n_skipped,
                   'failed', c.n_failed,
                   'db_user', session_user::text)
        FROM counts c
        RETURNING 1
    ),
    -- One row per input row: the skipped ones from "checked", the stored ones from "decided"
    -- (no join of the two), messages built by concatenation.
    report AS (
        SELECT c.pos, NULL::bigint AS load_id, 'skipped' AS status,
               'row ' || c.pos || ' skipped: ' || c.skip_reason AS message
        FROM checked c
        WHERE c.skip_reason IS NOT NULL
        UNION ALL
        SELECT d.pos, d.load_id, d.status,
               CASE d.status
                   WHEN 'pending' THEN 'row ' || d.pos || ': ' || d.email || ' stored as pending'
                   WHEN 'failed' THEN 'row ' || d.pos || ' failed: ' || d.fail_reason
                   ELSE 'row ' || d.pos || ': ' || d.email || ' is a duplicate of load '
                        || d.duplicate_of || ' (' || d.duplicate_reason || ')'
               END
        FROM decided d
        UNION ALL
        SELECT NULL, NULL, 'summary',
               pg_catalog.format('inserted=%s duplicate=%s skipped=%s',
                                 c.n_pending, c.n_duplicate, c.n_skipped)
                   || CASE WHEN c.n_failed > 0 THEN pg_catalog.format(' failed=%s', c.n_failed)
                           ELSE '' END
        FROM counts c
        WHERE (SELECT pg_catalog.count(*) FROM audit) = 1
    )
    SELECT r.load_id, r.status, r.message
    FROM report r
    ORDER BY r.pos NULLS LAST;
END
$$;

COMMENT ON FUNCTION intake.f_ingest_json(jsonb[], text, text) IS 'v7';

REVOKE EXECUTE ON FUNCTION intake.f_ingest_json(jsonb[], text, text) FROM PUBLIC;

-- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION intake.f_ingest_json(jsonb[], text, text) OWNER TO intake_writer;

REVOKE EXECUTE ON FUNCTION intake.f_ingest_json(jsonb[], text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION intake.f_ingest_json(jsonb[], text, text) TO mcp_ingest;
