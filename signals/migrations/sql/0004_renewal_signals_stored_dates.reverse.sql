-- Reverse of 0004_renewal_signals_stored_dates: bit.generate_renewal_signals v1 (0003).

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
