-- people.canonical_first_name (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Canonical first name of a normalised full name (its first word), through the nickname table.
CREATE OR REPLACE FUNCTION people.canonical_first_name(p_normalized_name text)
RETURNS text
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT n.canonical FROM people.nickname n
                     WHERE n.name = split_part(p_normalized_name, ' ', 1)),
                    nullif(split_part(p_normalized_name, ' ', 1), ''))
$$;

COMMENT ON FUNCTION people.canonical_first_name(text) IS 'v1';
