-- marketing.refresh_member_status_count (function, v1): the live definition. The migrations
-- hold frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

-- marketing 0020 (issue 18): recompute marketing.member_status_count from scratch. The statement
-- triggers keep it current on every write; this runs where they cannot: after TRUNCATE, after a
-- bulk load with triggers off (bench.seed_scale) and when the table is created. Owner only.
CREATE OR REPLACE FUNCTION marketing.refresh_member_status_count()
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM marketing.member_status_count;
    INSERT INTO marketing.member_status_count (campaign_id, status, members)
    SELECT m.campaign_id, m.status, pg_catalog.count(*)
    FROM marketing.campaign_contact m
    GROUP BY m.campaign_id, m.status
    ORDER BY m.campaign_id, m.status;
$$;

COMMENT ON FUNCTION marketing.refresh_member_status_count() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.refresh_member_status_count() FROM PUBLIC;
