-- intake.latest_100 (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW intake.latest_100 AS
SELECT r.load_id,
       r.batch_id,
       r.source,
       r.raw_data ->> 'email' AS email,
       r.status,
       r.created_at
FROM intake.raw_loads r
ORDER BY r.created_at DESC, r.load_id DESC
LIMIT 100;

COMMENT ON VIEW intake.latest_100 IS 'v1';

GRANT SELECT ON intake.latest_100 TO mcp_ingest, mcp_promote, outreach_app;
