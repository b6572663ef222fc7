-- public.current_actor (function, v3): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0050_sealed_actor (issue 19): outreach.actor counts only when public.set_actor or
-- public.set_system_actor set it in this transaction of this backend. v2 trusted the setting
-- itself, which the app role can set to anything, and at session level (SET outreach.actor =
-- 'victim') it outlived the transaction and named that user in every later change of the
-- connection. v3 compares outreach.actor_seal with public.actor_seal(outreach.actor): a value
-- set any other way, or left from an earlier transaction, has no matching seal and is ignored.
-- Otherwise (nobody named, or no valid seal) the actor is session_user, the login that made the
-- change (unchanged by SECURITY DEFINER, unlike current_user: v1 recorded the function owner).
-- Every SQL reader of the actor (history and batch-summary triggers, the intake and vault
-- functions' audit rows) goes through this function.
-- SECURITY DEFINER: the seal needs the owner-only key (public.actor_key). EXECUTE: the runtime
-- role and the writer roles whose functions and triggers record the actor.
CREATE OR REPLACE FUNCTION public.current_actor()
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN a.actor <> ''
                 AND pg_catalog.current_setting('outreach.actor_seal', true) = public.actor_seal(a.actor)
                THEN a.actor
                ELSE session_user::text
           END
    FROM (SELECT coalesce(pg_catalog.current_setting('outreach.actor', true), '') AS actor) a
$$;

REVOKE EXECUTE ON FUNCTION public.current_actor() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.current_actor() TO outreach_app, intake_writer, vault_writer;

COMMENT ON FUNCTION public.current_actor() IS 'v3';
