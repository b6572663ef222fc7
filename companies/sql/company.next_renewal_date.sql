-- company.next_renewal_date (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Renewal dates. The next renewal is the first day of renewal_month this year when that day is
-- today or later, otherwise next year; the campaign window opens renewal_notice_window_days
-- before it.
CREATE OR REPLACE FUNCTION company.next_renewal_date(p_month integer, p_today date DEFAULT current_date)
RETURNS date
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN p_month IS NULL THEN NULL
        WHEN make_date(extract(year FROM p_today)::int, p_month, 1) >= p_today
            THEN make_date(extract(year FROM p_today)::int, p_month, 1)
        ELSE make_date(extract(year FROM p_today)::int + 1, p_month, 1)
    END
$$;

COMMENT ON FUNCTION company.next_renewal_date(integer, date) IS 'v1';
