-- 0005_batch_summary: intake.batch_summary (the table is the Django model BatchSummary) kept
-- current by statement-level triggers on intake.raw_loads, and backfilled from it.
--
-- Why: the batches page grouped every raw load on every request (105 ms of SQL at 100k loads,
-- 515 ms p50 for the page; linear in the loads). The summary holds one row per (batch, source,
-- UTC day of created_at) with the counts by status, so the page aggregates a few thousand rows
-- instead of a million, and its source and date filters stay exact (they select whole rows).
--
-- Maintained by FOR EACH STATEMENT triggers with transition tables: one set-based UPSERT per
-- INSERT/UPDATE/DELETE statement on raw_loads (one per f_ingest_json call, one per status change
-- statement of f_promote_contacts), never one per row, and whoever writes raw_loads (functions,
-- a future re-queue, the owner by hand) keeps it right. Keys are upserted in sorted order so two
-- concurrent statements touching the same batches cannot deadlock on them.
-- ingested_by: the acting user of the first insert of that row (as f_ingest_json records it in
-- intake.audit_log); the page shows the one of the batch's earliest row.
--
-- Invoker rights: the trigger runs as whoever writes raw_loads, i.e. inside the writer functions
-- as intake_writer (INSERT) / vault_writer (UPDATE); those NOLOGIN roles get exactly the rights
-- on the summary their statements need. search_path pinned, names schema-qualified. Idempotent.

CREATE OR REPLACE FUNCTION intake.trigger_batch_summary()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO intake.batch_summary AS s
            (batch_id, source, load_day, loads_total, loads_pending, loads_promoted,
             loads_duplicate, loads_failed, first_created, last_created, first_load_id,
             ingested_by)
        SELECT n.batch_id, n.source, (n.created_at AT TIME ZONE 'UTC')::date,
               pg_catalog.count(*),
               pg_catalog.count(*) FILTER (WHERE n.status = 'pending'),
               pg_catalog.count(*) FILTER (WHERE n.status = 'promoted'),
               pg_catalog.count(*) FILTER (WHERE n.status = 'duplicate'),
               pg_catalog.count(*) FILTER (WHERE n.status = 'failed'),
               pg_catalog.min(n.created_at), pg_catalog.max(n.created_at),
               pg_catalog.min(n.load_id),
               coalesce(nullif(pg_catalog.current_setting('outreach.actor', true), ''),
                        session_user::text)
        FROM new_rows n
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (batch_id, source, load_day) DO UPDATE
            SET loads_total = s.loads_total + EXCLUDED.loads_total,
                loads_pending = s.loads_pending + EXCLUDED.loads_pending,
                loads_promoted = s.loads_promoted + EXCLUDED.loads_promoted,
                loads_duplicate = s.loads_duplicate + EXCLUDED.loads_duplicate,
                loads_failed = s.loads_failed + EXCLUDED.loads_failed,
                first_created = least(s.first_created, EXCLUDED.first_created),
                last_created = greatest(s.last_created, EXCLUDED.last_created),
                ingested_by = CASE WHEN EXCLUDED.first_load_id < s.first_load_id
                                   THEN EXCLUDED.ingested_by ELSE s.ingested_by END,
                first_load_id = least(s.first_load_id, EXCLUDED.first_load_id);
        RETURN NULL;
    END IF;

    -- UPDATE / DELETE: add the new rows (UPDATE only: new_rows exists only there), subtract
    -- the old ones, per key and status. A load never changes batch, source or created_at (only
    -- its status), so the keys already exist.
    IF TG_OP = 'UPDATE' THEN
        WITH delta AS (
            SELECT o.batch_id, o.source, (o.created_at AT TIME ZONE 'UTC')::date AS load_day,
                   o.status, -1 AS n
            FROM old_rows o
            UNION ALL
            SELECT n.batch_id, n.source, (n.created_at AT TIME ZONE 'UTC')::date, n.status, 1
            FROM new_rows n
        ),
        agg AS (
            SELECT d.batch_id, d.source, d.load_day,
                   pg_catalog.sum(d.n) AS d_total,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'pending'), 0)
                       AS d_pending,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'promoted'), 0)
                       AS d_promoted,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'duplicate'), 0)
                       AS d_duplicate,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'failed'), 0)
                       AS d_failed
            FROM delta d
            GROUP BY 1, 2, 3
        )
        UPDATE intake.batch_summary s
        SET loads_total = s.loads_total + a.d_total,
            loads_pending = s.loads_pending + a.d_pending,
            loads_promoted = s.loads_promoted + a.d_promoted,
            loads_duplicate = s.loads_duplicate + a.d_duplicate,
            loads_failed = s.loads_failed + a.d_failed
        FROM (SELECT * FROM agg
              WHERE (d_total, d_pending, d_promoted, d_duplicate, d_failed) <> (0, 0, 0, 0, 0)
              ORDER BY batch_id, source, load_day) AS a
        WHERE s.batch_id = a.batch_id AND s.source = a.source AND s.load_day = a.load_day;
    ELSE
        WITH delta AS (
            SELECT o.batch_id, o.source, (o.created_at AT TIME ZONE 'UTC')::date AS load_day,
                   o.status, -1 AS n
            FROM old_rows o
        ),
        agg AS (
            SELECT d.batch_id, d.source, d.load_day,
                   pg_catalog.sum(d.n) AS d_total,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'pending'), 0)
                       AS d_pending,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'promoted'), 0)
                       AS d_promoted,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'duplicate'), 0)
                       AS d_duplicate,
                   coalesce(pg_catalog.sum(d.n) FILTER (WHERE d.status = 'failed'), 0)
                       AS d_failed
            FROM delta d
            GROUP BY 1, 2, 3
        )
        UPDATE intake.batch_summary s
        SET loads_total = s.loads_total + a.d_total,
            loads_pending = s.loads_pending + a.d_pending,
            loads_promoted = s.loads_promoted + a.d_promoted,
            loads_duplicate = s.loads_duplicate + a.d_duplicate,
            loads_failed = s.loads_failed + a.d_failed
        FROM (SELECT * FROM agg
              WHERE (d_total, d_pending, d_promoted, d_duplicate, d_failed) <> (0, 0, 0, 0, 0)
              ORDER BY batch_id, source, load_day) AS a
        WHERE s.batch_id = a.batch_id AND s.source = a.source AND s.load_day = a.load_day;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION intake.trigger_batch_summary() IS 'v1';
REVOKE EXECUTE ON FUNCTION intake.trigger_batch_summary() FROM PUBLIC;

DROP TRIGGER IF EXISTS raw_loads_batch_summary_ins ON intake.raw_loads;
CREATE TRIGGER raw_loads_batch_summary_ins
    AFTER INSERT ON intake.raw_loads
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION intake.trigger_batch_summary();
DROP TRIGGER IF EXISTS raw_loads_batch_summary_upd ON intake.raw_loads;
CREATE TRIGGER raw_loads_batch_summary_upd
    AFTER UPDATE ON intake.raw_loads
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION intake.trigger_batch_summary();
DROP TRIGGER IF EXISTS raw_loads_batch_summary_del ON intake.raw_loads;
CREATE TRIGGER raw_loads_batch_summary_del
    AFTER DELETE ON intake.raw_loads
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION intake.trigger_batch_summary();

-- Backfill (rebuild: idempotent). ingested_by as the page showed it: the batch's first
-- 'batch_ingested' audit row.
TRUNCATE intake.batch_summary;
INSERT INTO intake.batch_summary
    (batch_id, source, load_day, loads_total, loads_pending, loads_promoted, loads_duplicate,
     loads_failed, first_created, last_created, first_load_id, ingested_by)
SELECT r.batch_id, r.source, (r.created_at AT TIME ZONE 'UTC')::date,
       count(*),
       count(*) FILTER (WHERE r.status = 'pending'),
       count(*) FILTER (WHERE r.status = 'promoted'),
       count(*) FILTER (WHERE r.status = 'duplicate'),
       count(*) FILTER (WHERE r.status = 'failed'),
       min(r.created_at), max(r.created_at), min(r.load_id),
       (SELECT a.user_name FROM intake.audit_log a
        WHERE a.action = 'batch_ingested' AND a.batch_id = r.batch_id
        ORDER BY a.log_id LIMIT 1)
FROM intake.raw_loads r
GROUP BY 1, 2, 3;

REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON intake.batch_summary
    FROM PUBLIC, outreach_app, mcp_ingest, mcp_promote, intake_writer, vault_writer;
GRANT SELECT ON intake.batch_summary TO outreach_app, mcp_ingest, mcp_promote;
GRANT SELECT, INSERT, UPDATE ON intake.batch_summary TO intake_writer;
GRANT SELECT, UPDATE ON intake.batch_summary TO vault_writer;
GRANT USAGE ON SEQUENCE intake.batch_summary_summary_id_seq TO intake_writer;
