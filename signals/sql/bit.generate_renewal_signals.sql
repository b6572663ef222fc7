-- bit.generate_renewal_signals (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0004_renewal_signals_stored_dates: bit.generate_renewal_signals v2 (issue 11).
--   * v1 computed company.next_renewal_date(month, p_today) for every active company. For
--     p_today = current_date, v2 reads the stored, indexed dates of companies 0006: the window is
--     open when campaign_window_start <= today and the stored renewal is not in the past (then it
--     is the true next renewal, see companies 0006's invariant); rows whose stored date is before
--     today (roll-forward not run yet) or NULL are a second branch that computes the date as v1.
--   * Any other p_today computes the dates exactly as v1. Same signals, payloads and dedupe keys.
-- Run by the schema owner; caller's rights (the app role may write bit.*), as v1.

CREATE OR REPLACE FUNCTION bit.generate_renewal_signals(p_today date DEFAULT current_date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_added integer;
BEGIN
    IF p_today = current_date THEN
        -- Today: the stored dates (companies 0006) through company_window_start_idx, plus the
        -- rows the roll-forward has not reached yet, computed (stored date before today/NULL).
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
        CROSS JOIN LATERAL (SELECT c.next_renewal_date) r
        WHERE c.status = 'active'
          AND c.renewal_month IS NOT NULL
          AND c.campaign_window_start <= p_today
          AND c.next_renewal_date >= p_today
        UNION ALL
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
          AND (c.next_renewal_date < p_today OR c.next_renewal_date IS NULL)
          AND r.next_renewal_date - c.renewal_notice_window_days <= p_today
        ORDER BY 1
        ON CONFLICT (dedupe_key) DO NOTHING;
    ELSE
        -- Another day (backfills, tests): the stored dates are for today, so compute them.
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
    END IF;
    GET DIAGNOSTICS v_added = ROW_COUNT;
    RETURN v_added;
END
$$;

COMMENT ON FUNCTION bit.generate_renewal_signals(date) IS 'v2';
