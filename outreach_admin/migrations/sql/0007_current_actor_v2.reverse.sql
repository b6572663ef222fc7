-- Reverse of 0007_current_actor_v2: back to v1 (see 0001_foundation.sql).
CREATE OR REPLACE FUNCTION public.current_actor()
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(nullif(current_setting('outreach.actor', true), ''), current_user::text)
$$;
COMMENT ON FUNCTION public.current_actor() IS 'v1';
