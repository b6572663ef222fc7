-- marketing 0020 (issue 18): marketing.member_status_count, campaign members per campaign and
-- status, kept by statement-level triggers with transition tables on marketing.campaign_contact
-- (the pattern of intake.batch_summary), recomputed after TRUNCATE. The dashboard's campaign
-- funnel reads its few rows instead of counting every member (500k at size M). No foreign key to
-- the campaign: a deleted campaign's members leave through the member trigger.
CREATE TABLE IF NOT EXISTS marketing.member_status_count (
    campaign_id bigint NOT NULL,
    status text NOT NULL,
    members bigint NOT NULL,
    PRIMARY KEY (campaign_id, status)
);
REVOKE ALL ON marketing.member_status_count FROM outreach_app;
GRANT SELECT ON marketing.member_status_count TO outreach_app;

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

-- migration (docs/SQL.md).

-- marketing 0020 (issue 18): AFTER TRUNCATE of marketing.campaign_contact: recompute
-- marketing.member_status_count (statement triggers see no rows on TRUNCATE; a DELETE-based
-- refresh also works when the summary is truncated in the same statement).
CREATE OR REPLACE FUNCTION marketing.trigger_member_status_count_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM marketing.refresh_member_status_count();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION marketing.trigger_member_status_count_truncate() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.trigger_member_status_count_truncate() FROM PUBLIC;

DROP TRIGGER IF EXISTS campaign_contact_status_count_ins ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_status_count_ins AFTER INSERT ON marketing.campaign_contact
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_member_status_count();
DROP TRIGGER IF EXISTS campaign_contact_status_count_upd ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_status_count_upd AFTER UPDATE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_member_status_count();
DROP TRIGGER IF EXISTS campaign_contact_status_count_del ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_status_count_del AFTER DELETE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_member_status_count();
DROP TRIGGER IF EXISTS campaign_contact_status_count_trunc ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_status_count_trunc AFTER TRUNCATE ON marketing.campaign_contact
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_member_status_count_truncate();

SELECT marketing.refresh_member_status_count();
