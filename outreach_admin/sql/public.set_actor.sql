-- public.set_actor (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- outreach_admin 0050 (issue 19): the app's one way to name the acting user of the current
-- transaction (outreach_admin.db.set_acting_user, once per request or acting_as block). Sets
-- outreach.actor and its seal (public.actor_seal) transaction-locally; '' or NULL names nobody
-- (history then names the login). public.current_actor() ignores an outreach.actor without a
-- matching seal, so a plain SET or set_config by the app role, or a session-level value left
-- from an earlier transaction, is not an actor. Names of the form 'promotion of batch …' are
-- reserved for vault.f_promote_contacts (public.set_system_actor) and refused here (42501).
-- SECURITY DEFINER: the seal needs the owner-only key. EXECUTE: the runtime role only.
CREATE OR REPLACE FUNCTION public.set_actor(p_actor text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_actor text := coalesce(p_actor, '');
BEGIN
    IF v_actor LIKE 'promotion of batch%' THEN
        RAISE EXCEPTION 'the actor name "%" is reserved for promotions', v_actor
            USING ERRCODE = '42501';
    END IF;
    PERFORM pg_catalog.set_config('outreach.actor', v_actor, true);
    PERFORM pg_catalog.set_config('outreach.actor_seal',
                                  CASE WHEN v_actor = '' THEN '' ELSE public.actor_seal(v_actor) END,
                                  true);
END
$$;

REVOKE EXECUTE ON FUNCTION public.set_actor(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.set_actor(text) TO outreach_app;

COMMENT ON FUNCTION public.set_actor(text) IS 'v1';
