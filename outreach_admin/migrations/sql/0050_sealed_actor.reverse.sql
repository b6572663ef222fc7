-- Reverse of 0050_sealed_actor: current_actor back to v2 (0007_current_actor_v2.sql, invoker,
-- EXECUTE for PUBLIC again), the setters, the seal and the key dropped.
CREATE OR REPLACE FUNCTION public.current_actor()
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(nullif(current_setting('outreach.actor', true), ''), session_user::text)
$$;
COMMENT ON FUNCTION public.current_actor() IS 'v2';
REVOKE EXECUTE ON FUNCTION public.current_actor() FROM outreach_app, intake_writer, vault_writer;
GRANT EXECUTE ON FUNCTION public.current_actor() TO PUBLIC;
DROP FUNCTION IF EXISTS public.set_system_actor(text);
DROP FUNCTION IF EXISTS public.set_actor(text);
DROP FUNCTION IF EXISTS public.actor_seal(text);
DROP TABLE IF EXISTS public.actor_key;
