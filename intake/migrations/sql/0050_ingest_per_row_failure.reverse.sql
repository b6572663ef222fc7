-- Reverse of 0050_ingest_per_row_failure: f_ingest_json v2 and the btree raw-email indexes.
DROP INDEX IF EXISTS intake.idx_raw_loads_raw_data_email;
CREATE INDEX idx_raw_loads_raw_data_email ON intake.raw_loads ((raw_data ->> 'email'));
DROP INDEX IF EXISTS intake.raw_loads_email_norm_idx;
CREATE INDEX raw_loads_email_norm_idx
    ON intake.raw_loads (lower(btrim(raw_data ->> 'email')), created_at);

CREATE OR REPLACE FUNCTION intake.f_ingest_json(p_rows jsonb[], p_source text, p_batch_id text)
RETURNS TABLE (load_id bigint, status text, message text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    -- Advisory-lock namespace of this function (first key of the two-int lock).
    c_lock_space CONSTANT integer := pg_catalog.hashtext('intake.f_ingest_json:email');
    -- Number of lock buckets (a power of two): the most advisory locks one transaction holds.
    c_buckets CONSTANT integer := 1024;
BEGIN
    IF p_source IS NULL OR pg_catalog.btrim(p_source) = '' THEN
        RAISE EXCEPTION 'p_source must not be blank' USING ERRCODE = '22023',
            HINT = 'Name the data source, e.g. apollo, apify or manual.';
    END IF;
    IF p_batch_id IS NULL OR pg_catalog.btrim(p_batch_id) = '' THEN
        RAISE EXCEPTION 'p_batch_id must not be blank' USING ERRCODE = '22023',
            HINT = 'Give every ingest call a batch identifier.';
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
          WHERE pg_catalog.jsonb_typeof(t.r) = 'object'
            AND pg_catalog.jsonb_typeof(t.r -> 'email') = 'string'
          ORDER BY 1) AS k;

    RETURN QUERY
    WITH input AS (
        SELECT t.ord::integer AS pos, t.r AS raw
        FROM pg_catalog.unnest(p_rows) WITH ORDINALITY AS t(r, ord)
    ),
    checked AS (
        SELECT i.pos,
               i.raw,
               pg_catalog.lower(pg_catalog.btrim(i.raw ->> 'email')) AS email,
               CASE
                   WHEN i.raw IS NULL OR pg_catalog.jsonb_typeof(i.raw) <> 'object'
                       THEN 'row is not a JSON object'
                   WHEN pg_catalog.jsonb_typeof(i.raw -> 'email') IS NULL
                        OR pg_catalog.jsonb_typeof(i.raw -> 'email') = 'null'
                       THEN 'email is missing'
                   WHEN pg_catalog.jsonb_typeof(i.raw -> 'email') <> 'string'
                       THEN 'email is not a string'
                   WHEN pg_catalog.btrim(i.raw ->> 'email') = ''
                       THEN 'email is blank'
                   WHEN pg_catalog.strpos(i.raw ->> 'email', '@') = 0
                       THEN 'email has no @'
               END AS skip_reason
        FROM input i
    ),
    kept AS (
        SELECT c.pos, c.raw, c.email,
               pg_catalog.row_number() OVER (ORDER BY c.pos) AS seq
        FROM checked c
        WHERE c.skip_reason IS NULL
    ),
    -- load_ids allocated up front, in input order, so a row can name an earlier row of the same
    -- call as the load it duplicates.
    ids AS (
        SELECT pg_catalog.row_number() OVER (ORDER BY n.id) AS seq, n.id
        FROM (SELECT pg_catalog.nextval('intake.raw_loads_load_id_seq'::pg_catalog.regclass) AS id
              FROM kept) AS n
    ),
    numbered AS (
        SELECT k.pos, k.raw, k.email, ids.id AS load_id,
               pg_catalog.first_value(ids.id) OVER (PARTITION BY k.email ORDER BY k.pos) AS first_id
        FROM kept k
        JOIN ids ON ids.seq = k.seq
    ),
    earlier AS (
        SELECT DISTINCT ON (e.email) e.email, e.load_id
        FROM (SELECT pg_catalog.lower(pg_catalog.btrim(r.raw_data ->> 'email')) AS email,
                     r.load_id
              FROM intake.raw_loads r
              WHERE pg_catalog.lower(pg_catalog.btrim(r.raw_data ->> 'email'))
                        IN (SELECT k.email FROM kept k)
                AND r.created_at >= pg_catalog.now() - interval '30 days') AS e
        ORDER BY e.email, e.load_id
    ),
    decided AS (
        SELECT n.pos, n.raw, n.email, n.load_id,
               CASE WHEN e.load_id IS NOT NULL OR n.first_id <> n.load_id
                    THEN 'duplicate' ELSE 'pending' END AS status,
               coalesce(e.load_id, CASE WHEN n.first_id <> n.load_id THEN n.first_id END)
                   AS duplicate_of,
               CASE WHEN e.load_id IS NOT NULL THEN 'loaded within the last 30 days'
                    WHEN n.first_id <> n.load_id THEN 'earlier in the same batch' END
                   AS duplicate_reason
        FROM numbered n
        LEFT JOIN earlier e ON e.email = n.email
    ),
    inserted AS (
        INSERT INTO intake.raw_loads (load_id, batch_id, source, raw_data, status, metadata)
        SELECT d.load_id, p_batch_id, p_source, d.raw, d.status,
               pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                   'position', d.pos,
                   'email_normalized', d.email,
                   'duplicate_of', d.duplicate_of,
                   'duplicate_reason', d.duplicate_reason))
        FROM decided d
        ORDER BY d.load_id
        RETURNING 1
    ),
    counts AS (
        SELECT (SELECT pg_catalog.count(*) FROM decided d WHERE d.status = 'pending')::integer
                   AS n_pending,
               (SELECT pg_catalog.count(*) FROM decided d WHERE d.status = 'duplicate')::integer
                   AS n_duplicate,
               (SELECT pg_catalog.count(*) FROM checked c WHERE c.skip_reason IS NOT NULL)::integer
                   AS n_skipped,
               (SELECT pg_catalog.count(*) FROM inserted)::integer AS n_inserted_rows
    ),
    audit AS (
        INSERT INTO intake.audit_log (action, user_name, batch_id, record_count, details)
        SELECT 'batch_ingested',
               coalesce(nullif(pg_catalog.current_setting('outreach.actor', true), ''),
                        session_user::text),
               p_batch_id,
               c.n_inserted_rows,
               pg_catalog.jsonb_build_object(
                   'source', p_source,
                   'rows', pg_catalog.cardinality(p_rows),
                   'pending', c.n_pending,
                   'duplicate', c.n_duplicate,
                   'skipped', c.n_skipped,
                   'db_user', session_user::text)
        FROM counts c
        RETURNING 1
    ),
    report AS (
        SELECT c.pos, d.load_id,
               coalesce(d.status, 'skipped') AS status,
               CASE
                   WHEN c.skip_reason IS NOT NULL
                       THEN pg_catalog.format('row %s skipped: %s', c.pos, c.skip_reason)
                   WHEN d.status = 'duplicate'
                       THEN pg_catalog.format('row %s: %s is a duplicate of load %s (%s)',
                                              c.pos, d.email, d.duplicate_of, d.duplicate_reason)
                   ELSE pg_catalog.format('row %s: %s stored as pending', c.pos, d.email)
               END AS message
        FROM checked c
        LEFT JOIN decided d ON d.pos = c.pos
        UNION ALL
        SELECT NULL, NULL, 'summary',
               pg_catalog.format('inserted=%s duplicate=%s skipped=%s',
                                 c.n_pending, c.n_duplicate, c.n_skipped)
        FROM counts c
        WHERE (SELECT pg_catalog.count(*) FROM audit) = 1
    )
    SELECT r.load_id, r.status, r.message
    FROM report r
    ORDER BY r.pos NULLS LAST;
END
$$;

COMMENT ON FUNCTION intake.f_ingest_json(jsonb[], text, text) IS 'v2';
REVOKE EXECUTE ON FUNCTION intake.f_ingest_json(jsonb[], text, text) FROM PUBLIC;
GRANT CREATE ON SCHEMA intake TO intake_writer;  -- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION intake.f_ingest_json(jsonb[], text, text) OWNER TO intake_writer;
REVOKE CREATE ON SCHEMA intake FROM intake_writer;
REVOKE EXECUTE ON FUNCTION intake.f_ingest_json(jsonb[], text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake.f_ingest_json(jsonb[], text, text) TO mcp_ingest;
