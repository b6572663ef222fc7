-- public.trigger_immutable_column (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Rejects any UPDATE that changes the column named by the trigger's first argument.
CREATE OR REPLACE FUNCTION public.trigger_immutable_column()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (to_jsonb(NEW) -> TG_ARGV[0]) IS DISTINCT FROM (to_jsonb(OLD) -> TG_ARGV[0]) THEN
        RAISE EXCEPTION '%.% is immutable', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION public.trigger_immutable_column() IS 'v1';
