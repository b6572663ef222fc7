-- public.jsonb_pick (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION public.jsonb_pick(p_row jsonb, p_keys text[])
RETURNS jsonb
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(jsonb_object_agg(k, p_row -> k), '{}'::jsonb)
    FROM unnest(p_keys) AS k
    WHERE p_row IS NOT NULL
$$;

COMMENT ON FUNCTION public.jsonb_pick(jsonb, text[]) IS 'v1';
