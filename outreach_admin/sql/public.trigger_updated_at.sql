-- public.trigger_updated_at (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- updated_at follows the wall clock (clock_timestamp), so two updates in one transaction differ.
CREATE OR REPLACE FUNCTION public.trigger_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION public.trigger_updated_at() IS 'v1';
