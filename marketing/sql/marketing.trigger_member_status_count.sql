-- marketing.trigger_member_status_count (function, v1): the live definition. The migrations hold
-- frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

-- marketing 0020 (issue 18): statement-level AFTER INSERT/UPDATE/DELETE trigger on
-- marketing.campaign_contact (transition tables old_rows/new_rows) keeping
-- marketing.member_status_count, members per campaign and status, which the dashboard's campaign
-- funnel reads instead of counting every member. Net deltas per (campaign, status) are upserted
-- in key order (no deadlock between two such statements); a count that reaches 0 is deleted.
-- SECURITY DEFINER: the writers may read the summary but not write it.
CREATE OR REPLACE FUNCTION marketing.trigger_member_status_count()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_campaigns bigint[];
    v_statuses text[];
    v_signs bigint[];
BEGIN
    -- (Nested IFs: a transition table a trigger does not declare cannot even be named.)
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(n.campaign_id), pg_catalog.array_agg(n.status),
               pg_catalog.array_agg(1::bigint)
          INTO v_campaigns, v_statuses, v_signs
          FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT pg_catalog.array_agg(x.campaign_id), pg_catalog.array_agg(x.status),
               pg_catalog.array_agg(x.sign)
          INTO v_campaigns, v_statuses, v_signs
          FROM (SELECT o.campaign_id, o.status, -1::bigint AS sign FROM old_rows o
                UNION ALL
                SELECT n.campaign_id, n.status, 1::bigint FROM new_rows n) x;
    ELSE
        SELECT pg_catalog.array_agg(o.campaign_id), pg_catalog.array_agg(o.status),
               pg_catalog.array_agg(-1::bigint)
          INTO v_campaigns, v_statuses, v_signs
          FROM old_rows o;
    END IF;
    IF v_campaigns IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO marketing.member_status_count AS s (campaign_id, status, members)
    SELECT u.campaign_id, u.status, pg_catalog.sum(u.sign)
    FROM ROWS FROM (pg_catalog.unnest(v_campaigns), pg_catalog.unnest(v_statuses),
                    pg_catalog.unnest(v_signs)) AS u(campaign_id, status, sign)
    GROUP BY u.campaign_id, u.status
    HAVING pg_catalog.sum(u.sign) <> 0
    ORDER BY u.campaign_id, u.status
    ON CONFLICT (campaign_id, status) DO UPDATE SET members = s.members + EXCLUDED.members;
    DELETE FROM marketing.member_status_count s
    WHERE s.campaign_id = ANY (v_campaigns) AND s.members = 0;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION marketing.trigger_member_status_count() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.trigger_member_status_count() FROM PUBLIC;
