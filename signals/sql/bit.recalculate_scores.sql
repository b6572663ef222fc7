-- bit.recalculate_scores (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION bit.recalculate_scores(p_now timestamptz DEFAULT now())
RETURNS TABLE (company_scores integer, contact_scores integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_companies integer;
    v_contacts integer;
BEGIN
    WITH pts AS (
        SELECT s.company_id, s.reason,
               bit.signal_weight(s.reason) * s.signal_strength
                   * power(0.5, greatest(extract(epoch FROM p_now - s.created_at), 0)
                                / 86400.0 / 30) AS points
        FROM bit.signal s
        WHERE s.created_at > p_now - interval '365 days'
    ),
    by_reason AS (
        SELECT company_id, reason, count(*) AS n, sum(points) AS points
        FROM pts GROUP BY company_id, reason
    ),
    totals AS (
        SELECT company_id,
               least(100, round(sum(points)))::int AS total,
               jsonb_object_agg(reason, jsonb_build_object('count', n,
                                                           'points', round(points, 1)))
                   AS breakdown
        FROM by_reason GROUP BY company_id
    )
    INSERT INTO bit.company_score AS cs (company_id, total_score, signal_breakdown, calculated_at)
    SELECT company_id, total, breakdown, p_now FROM totals
    ON CONFLICT (company_id) DO UPDATE
        SET total_score = EXCLUDED.total_score,
            signal_breakdown = EXCLUDED.signal_breakdown,
            calculated_at = EXCLUDED.calculated_at;
    GET DIAGNOSTICS v_companies = ROW_COUNT;

    WITH pts AS (
        SELECT m.contact_id, 'campaign_' || m.status AS activity,
               CASE m.status WHEN 'sent' THEN 5 WHEN 'opened' THEN 15 WHEN 'replied' THEN 40
                             WHEN 'booked' THEN 60 ELSE 0 END
                   * power(0.5, greatest(extract(epoch FROM p_now - m.updated_at), 0)
                                / 86400.0 / 60) AS points
        FROM marketing.campaign_contact m
        WHERE m.status <> 'pending'
        UNION ALL
        SELECT s.contact_id, 'signal_' || s.reason,
               bit.signal_weight(s.reason) * s.signal_strength
                   * power(0.5, greatest(extract(epoch FROM p_now - s.created_at), 0)
                                / 86400.0 / 30)
        FROM bit.signal s
        WHERE s.contact_id IS NOT NULL AND s.created_at > p_now - interval '365 days'
    ),
    by_activity AS (
        SELECT contact_id, activity, count(*) AS n, sum(points) AS points
        FROM pts GROUP BY contact_id, activity
    ),
    totals AS (
        SELECT contact_id,
               least(100, round(sum(points)))::int AS total,
               jsonb_object_agg(activity, jsonb_build_object('count', n,
                                                             'points', round(points, 1)))
                   AS breakdown
        FROM by_activity GROUP BY contact_id
    )
    INSERT INTO bit.contact_score AS cs (contact_id, engagement_score, activity_breakdown,
                                         calculated_at)
    SELECT contact_id, total, breakdown, p_now FROM totals
    ON CONFLICT (contact_id) DO UPDATE
        SET engagement_score = EXCLUDED.engagement_score,
            activity_breakdown = EXCLUDED.activity_breakdown,
            calculated_at = EXCLUDED.calculated_at;
    GET DIAGNOSTICS v_contacts = ROW_COUNT;

    RETURN QUERY SELECT v_companies, v_contacts;
END
$$;

COMMENT ON FUNCTION bit.recalculate_scores(timestamptz) IS 'v1';
