-- company.role_bit (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- companies 0090 (issue 18): a slot role as one bit of a company's role mask (CEO 1, CFO 2,
-- HR 4: the order of outreach_admin.fields.ROLES, which companies.selectors decodes).
CREATE OR REPLACE FUNCTION company.role_bit(p_role text)
RETURNS integer
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE p_role WHEN 'CEO' THEN 1 WHEN 'CFO' THEN 2 WHEN 'HR' THEN 4 ELSE 0 END
$$;

COMMENT ON FUNCTION company.role_bit(text) IS 'v1';
