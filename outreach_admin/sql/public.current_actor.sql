-- public.current_actor (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0007_current_actor_v2: name the login when the app named no acting user.
-- The history triggers are SECURITY DEFINER (the app role may read history but not write it),
-- so inside them current_user is the function owner: v1 recorded the owner for every psql or
-- command write made without outreach.actor. session_user is the login that made the change
-- and is unchanged by SECURITY DEFINER. Requests always set outreach.actor.
CREATE OR REPLACE FUNCTION public.current_actor()
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(nullif(current_setting('outreach.actor', true), ''), session_user::text)
$$;

COMMENT ON FUNCTION public.current_actor() IS 'v2';
