-- bit.signal_weight (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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

GRANT EXECUTE ON FUNCTION bit.signal_weight(text), bit.generate_renewal_signals(date),
    bit.recalculate_scores(timestamptz) TO outreach_app;
