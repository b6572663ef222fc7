-- Reverse of 0070_renewal_roll_owner_only: the trigger of 0006, the roll-forward v1 (invoker,
-- EXECUTE for PUBLIC as before), no helper.
DROP TRIGGER IF EXISTS company_updated_at ON company.company;
CREATE TRIGGER company_updated_at BEFORE UPDATE ON company.company
    FOR EACH ROW
    WHEN (coalesce(current_setting('outreach.renewal_roll', true), '') <> 'on')
    EXECUTE FUNCTION public.trigger_updated_at();
DROP FUNCTION IF EXISTS company.is_renewal_roll();
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
GRANT EXECUTE ON FUNCTION company.f_roll_renewal_dates(date) TO PUBLIC, outreach_app;
