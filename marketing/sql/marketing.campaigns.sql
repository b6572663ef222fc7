-- marketing.campaigns (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Seed 002's name for the campaign table: a simple (auto-updatable) view.
CREATE OR REPLACE VIEW marketing.campaigns AS
SELECT campaign_id, name, type, status, target_count, sent_count, response_count,
       created_at, started_at, ended_at
FROM marketing.campaign;

GRANT SELECT, INSERT, UPDATE, DELETE ON marketing.campaigns TO outreach_app;

COMMENT ON VIEW marketing.campaigns IS 'v1';
