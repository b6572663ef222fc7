-- company.classify_title (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION company.classify_title(p_title text)
RETURNS TABLE (role_code text, confidence numeric, reason text)
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.role_code, k.confidence, k.reason FROM company.classify_titles(ARRAY[p_title]) k
$$;

COMMENT ON FUNCTION company.classify_title(text) IS 'v2';
