-- intake.trigger_batch_summary (function, v4): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- intake 0090 (issue 19): the audit/summary actor is public.current_actor(), which honours
-- outreach.actor only when sealed by public.set_actor (a plain or session-level SET of the
-- setting names the login instead); no other change.
-- intake 0009: intake.trigger_batch_summary v3.
-- v2 ran its summary UPDATE/DELETE even for a statement that changed no load, so a direct
-- UPDATE or DELETE by the app role, silently filtered to zero rows by row-level security, failed
-- with "permission denied for table batch_summary" instead of changing nothing (found by
-- tests/db/test_rls.py on a fresh clone). v3 returns early when the transition table is empty.
CREATE OR REPLACE FUNCTION intake.trigger_batch_summary()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A statement that changed no row (e.g. a direct UPDATE/DELETE that row-level security
    -- filtered to nothing) has nothing to summarise: return before touching the summary, whose
    -- privileges the caller may not have.
    -- (Nested IFs: a transition table a trigger does not declare cannot even be named.)
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
            RETURN NULL;
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM old_rows) THEN
        RETURN NULL;
    END IF;
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
               public.current_actor()
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
        -- A (batch, source, day) whose loads are all gone is no batch any more: drop its row.
        DELETE FROM intake.batch_summary s
        USING (SELECT DISTINCT o.batch_id, o.source, (o.created_at AT TIME ZONE 'UTC')::date AS d
               FROM old_rows o) AS g
        WHERE s.batch_id = g.batch_id AND s.source = g.source AND s.load_day = g.d
          AND s.loads_total <= 0;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION intake.trigger_batch_summary() IS 'v4';

REVOKE EXECUTE ON FUNCTION intake.trigger_batch_summary() FROM PUBLIC;
