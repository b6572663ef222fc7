-- company.is_renewal_roll (function, v1): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- companies 0070 (issue 19): true while company.f_roll_renewal_dates rolls dates forward: the
-- transaction carries outreach.renewal_roll = on AND the current role is the owner of that
-- SECURITY DEFINER function (the role it runs as). The app role can set the setting but never
-- becomes the owner, so its own updates still move updated_at. Read by the WHEN clause of
-- trigger company_updated_at, after a cheap test of the setting (ordinary updates stop there).
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
