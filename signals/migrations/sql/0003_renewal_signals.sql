-- 0003_renewal_signals: the renewal signal generator and the score calculation of the bit schema.
--   * bit.generate_renewal_signals(p_today): one `renewal_window_open_<N>d` signal per active
--     company whose window is open on p_today (N = the company's notice window in days), once
--     per renewal cycle: dedupe_key = 'renewal:<company_id>:<next_renewal_date>', set-based
--     INSERT … ON CONFLICT (dedupe_key) DO NOTHING, so running it twice adds nothing.
--   * bit.recalculate_scores(p_now): rewrites bit.company_score and bit.contact_score.
--     Weights (also in signals/services.py):
--       company: sum(reason weight × signal_strength × 0.5 ^ (age_days / 30)), capped at 100;
--         reason weights renewal_window_open_* 1.0, executive_movement 0.8, funding_raised 0.7,
--         job_postings 0.5, anything else 0.4; signals older than 365 days are ignored.
--       contact: campaign outcomes sent 5, opened 15, replied 40, booked 60 (pending, bounced,
--         unsubscribed 0) decayed with a 60-day half-life by the member's last change, plus the
--         person's own signals weighted as above; capped at 100.
-- Run by the schema owner; both functions run with the caller's rights (the app role may write
-- bit.*).

CREATE OR REPLACE FUNCTION bit.signal_weight(p_reason text)
RETURNS numeric
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN p_reason LIKE 'renewal\_window\_open\_%' THEN 1.0
        WHEN p_reason = 'executive_movement' THEN 0.8
        WHEN p_reason = 'funding_raised' THEN 0.7
        WHEN p_reason = 'job_postings' THEN 0.5
        ELSE 0.4
    END
$$;
COMMENT ON FUNCTION bit.signal_weight(text) IS 'v1';

CREATE OR REPLACE FUNCTION bit.generate_renewal_signals(p_today date DEFAULT current_date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_added integer;
BEGIN
    INSERT INTO bit.signal (company_id, reason, signal_strength, payload, dedupe_key)
    SELECT c.company_id,
           format('renewal_window_open_%sd', c.renewal_notice_window_days),
           80,
           jsonb_build_object('next_renewal_date', r.next_renewal_date,
                              'campaign_window_start',
                              r.next_renewal_date - c.renewal_notice_window_days,
                              'window_days', c.renewal_notice_window_days,
                              'days_until_renewal', r.next_renewal_date - p_today,
                              'generated_for', p_today),
           format('renewal:%s:%s', c.company_id, r.next_renewal_date)
    FROM company.company c
    CROSS JOIN LATERAL (
        SELECT company.next_renewal_date(c.renewal_month, p_today) AS next_renewal_date
    ) r
    WHERE c.status = 'active'
      AND c.renewal_month IS NOT NULL
      AND r.next_renewal_date - c.renewal_notice_window_days <= p_today
    ORDER BY c.company_id
    ON CONFLICT (dedupe_key) DO NOTHING;
    GET DIAGNOSTICS v_added = ROW_COUNT;
    RETURN v_added;
END
$$;
COMMENT ON FUNCTION bit.generate_renewal_signals(date) IS 'v1';

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

GRANT EXECUTE ON FUNCTION bit.signal_weight(text), bit.generate_renewal_signals(date),
    bit.recalculate_scores(timestamptz) TO outreach_app;
