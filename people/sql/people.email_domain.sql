-- people.email_domain (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION people.email_domain(p_email text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT nullif(split_part(people.normalize_email(p_email), '@', 2), '')
$$;

COMMENT ON FUNCTION people.email_domain(text) IS 'v1';
