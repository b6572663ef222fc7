-- company.refresh_renewal_count (function, v1): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- companies 0092 (issue 18): recompute company.renewal_count (companies with a renewal month
-- per renewal month, notice window and stored renewal/window dates) from scratch. The statement
-- triggers keep it current on every write; this runs where they cannot: after TRUNCATE (the
-- truncate trigger), after a bulk load with triggers off (bench.seed_scale) and when the table
-- is created. Owner only (EXECUTE revoked from PUBLIC).
CREATE OR REPLACE FUNCTION company.refresh_renewal_count()
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM company.renewal_count;
    INSERT INTO company.renewal_count
        (renewal_month, window_days, next_renewal_date, campaign_window_start, companies)
    SELECT c.renewal_month, c.renewal_notice_window_days, c.next_renewal_date,
           c.campaign_window_start, pg_catalog.count(*)
    FROM company.company c
    WHERE c.renewal_month IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
$$;

COMMENT ON FUNCTION company.refresh_renewal_count() IS 'v1';

REVOKE EXECUTE ON FUNCTION company.refresh_renewal_count() FROM PUBLIC;
