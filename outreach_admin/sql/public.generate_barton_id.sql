-- public.generate_barton_id (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION public.generate_barton_id(prefix text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    IF prefix IS NULL OR prefix !~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$' THEN
        RAISE EXCEPTION 'invalid Barton ID prefix %, expected NN.NN.NN', prefix
            USING ERRCODE = '22023';
    END IF;
    n := nextval('public.barton_id_seq');
    RETURN prefix || '.' || to_char(current_date, 'YY') || '.'
        || lpad((n / 1000)::text, 5, '0') || '.' || lpad((n % 1000)::text, 3, '0');
END
$$;

COMMENT ON FUNCTION public.generate_barton_id(text) IS 'v1';
