-- public.database_setting (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION public.database_setting(p_name text)
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT substr(c.cfg, length(p_name) + 2)
    FROM pg_db_role_setting s
    CROSS JOIN LATERAL unnest(s.setconfig) AS c(cfg)
    WHERE s.setrole = 0
      AND s.setdatabase = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
      AND c.cfg LIKE p_name || '=%'
    LIMIT 1
$$;

COMMENT ON FUNCTION public.database_setting(text) IS 'v1';

GRANT EXECUTE ON FUNCTION public.database_setting(text) TO PUBLIC;
