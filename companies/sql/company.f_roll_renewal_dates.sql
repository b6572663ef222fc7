-- company.f_roll_renewal_dates (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION company.f_roll_renewal_dates(p_today date DEFAULT current_date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rolled integer;
BEGIN
    PERFORM set_config('outreach.renewal_roll', 'on', true);
    UPDATE company.company c
       SET next_renewal_date = company.next_renewal_date(c.renewal_month, p_today)
     WHERE c.next_renewal_date < p_today
        OR (c.next_renewal_date IS NULL AND c.renewal_month IS NOT NULL);
    GET DIAGNOSTICS v_rolled = ROW_COUNT;
    PERFORM set_config('outreach.renewal_roll', 'off', true);
    RETURN v_rolled;
END
$$;

COMMENT ON FUNCTION company.f_roll_renewal_dates(date) IS 'v1';

GRANT EXECUTE ON FUNCTION company.f_roll_renewal_dates(date) TO outreach_app;
