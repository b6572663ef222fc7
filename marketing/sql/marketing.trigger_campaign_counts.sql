-- marketing.trigger_campaign_counts (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Counts: recomputed for the campaigns a statement touched (set-based, one UPDATE).
CREATE OR REPLACE FUNCTION marketing.trigger_campaign_counts()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH touched AS (
        SELECT campaign_id FROM changed_rows
    )
    UPDATE marketing.campaign c
    SET sent_count = k.sent, response_count = k.responses
    FROM (
        SELECT t.campaign_id,
               count(m.campaign_contact_id) FILTER (WHERE m.status <> 'pending') AS sent,
               count(m.campaign_contact_id) FILTER (WHERE m.status IN ('replied', 'booked'))
                   AS responses
        FROM (SELECT DISTINCT campaign_id FROM touched) t
        LEFT JOIN marketing.campaign_contact m ON m.campaign_id = t.campaign_id
        GROUP BY t.campaign_id
    ) k
    WHERE c.campaign_id = k.campaign_id
      AND (c.sent_count, c.response_count) IS DISTINCT FROM (k.sent, k.responses);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION marketing.trigger_campaign_counts() IS 'v1';
