-- 0070_renewal_roll_owner_only (issue 19): outreach.renewal_roll = on hid any update from
-- updated_at, and the app role can set it. The roll-forward becomes SECURITY DEFINER (owner) and
-- the updated_at trigger honours the setting only while the owner of the roll function runs the
-- update (company.is_renewal_roll): a company edited by the app role with the setting on still
-- gets a new updated_at; the roll itself still leaves updated_at alone.

-- company.f_roll_renewal_dates
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

-- company.is_renewal_roll
CREATE OR REPLACE FUNCTION company.is_renewal_roll()
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(pg_catalog.current_setting('outreach.renewal_roll', true), '') = 'on'
       AND p.proowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
    FROM pg_catalog.pg_proc p
    WHERE p.oid = 'company.f_roll_renewal_dates(date)'::pg_catalog.regprocedure
$$;

COMMENT ON FUNCTION company.is_renewal_roll() IS 'v1';

DROP TRIGGER IF EXISTS company_updated_at ON company.company;
CREATE TRIGGER company_updated_at BEFORE UPDATE ON company.company
    FOR EACH ROW
    WHEN (coalesce(current_setting('outreach.renewal_roll', true), '') <> 'on'
          OR NOT company.is_renewal_roll())
    EXECUTE FUNCTION public.trigger_updated_at();
