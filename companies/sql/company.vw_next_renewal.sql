-- company.vw_next_renewal (view, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Same columns and results as 0003; the date is the stored one when it is not stale.
CREATE OR REPLACE VIEW company.vw_next_renewal AS
SELECT c.company_id,
       c.company_name,
       c.renewal_month,
       c.renewal_notice_window_days,
       r.next_renewal_date,
       r.next_renewal_date - c.renewal_notice_window_days AS campaign_window_start,
       r.next_renewal_date - current_date AS days_until_renewal,
       (r.next_renewal_date - c.renewal_notice_window_days) <= current_date AS in_window,
       c.status
FROM company.company c
CROSS JOIN LATERAL (
    SELECT CASE WHEN c.next_renewal_date >= current_date THEN c.next_renewal_date
                ELSE company.next_renewal_date(c.renewal_month, current_date)
           END AS next_renewal_date
) r
WHERE c.renewal_month IS NOT NULL;

COMMENT ON VIEW company.vw_next_renewal IS 'v2';
