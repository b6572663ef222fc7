-- people.name_suffix (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Generational suffix (jr, sr, ii, iii, iv): a father and son share a name, not an identity.
CREATE OR REPLACE FUNCTION people.name_suffix(p_name text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (regexp_match(lower(p_name), '\m(jr|sr|ii|iii|iv)\M'))[1]
$$;

COMMENT ON FUNCTION people.name_suffix(text) IS 'v1';
