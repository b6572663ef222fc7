-- people.sorted_letters (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- The letters of a word in sorted order: equal for a word and its transposition typo
-- (Nakamura / Nakmaura), which trigrams score low.
CREATE OR REPLACE FUNCTION people.sorted_letters(p_word text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT string_agg(ch, '' ORDER BY ch) FROM regexp_split_to_table(p_word, '') AS ch
$$;

COMMENT ON FUNCTION people.sorted_letters(text) IS 'v1';
