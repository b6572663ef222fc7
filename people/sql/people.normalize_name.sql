-- people.normalize_name (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Lower case, letters only, without titles, generational suffixes and middle initials.
CREATE OR REPLACE FUNCTION people.normalize_name(p_name text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := lower(coalesce(p_name, ''));
BEGIN
    v := regexp_replace(v, '[^[:alpha:][:space:]]', ' ', 'g');
    v := regexp_replace(v, '\m(jr|sr|ii|iii|iv|phd|md|mba|cpa|esq|dr|mr|mrs|ms|prof)\M', ' ', 'g');
    v := regexp_replace(v, '\m[[:alpha:]]\M', ' ', 'g');
    v := btrim(regexp_replace(v, '\s+', ' ', 'g'));
    RETURN nullif(v, '');
END
$$;

COMMENT ON FUNCTION people.normalize_name(text) IS 'v1';
