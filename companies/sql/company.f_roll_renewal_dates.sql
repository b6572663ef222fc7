-- company.f_roll_renewal_dates (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- v2 (companies 0070, issue 19): the roll marks its transaction with outreach.renewal_roll so the
-- date bookkeeping does not touch updated_at (trigger company_updated_at). v1 ran as its caller,
-- so the mark was honoured for anyone: the app role could SET outreach.renewal_roll = on and
-- edit a company without updated_at moving. v2 is SECURITY DEFINER, owned by the schema owner,
-- and the trigger honours the mark only while current_user is this function's owner
-- (company.is_renewal_roll), i.e. inside this function. It updates next_renewal_date only; the
-- history trigger still names public.current_actor(). EXECUTE: the runtime role.
CREATE OR REPLACE FUNCTION company.f_roll_renewal_dates(p_today date DEFAULT current_date)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
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

REVOKE EXECUTE ON FUNCTION company.f_roll_renewal_dates(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION company.f_roll_renewal_dates(date) TO outreach_app;

COMMENT ON FUNCTION company.f_roll_renewal_dates(date) IS 'v2';
