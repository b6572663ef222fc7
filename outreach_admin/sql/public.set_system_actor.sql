-- public.set_system_actor (function, v1): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- outreach_admin 0050 (issue 19): public.set_actor without its reserved-name rule, for the
-- definer functions that write under a system actor: vault.f_promote_contacts names its writes
-- 'promotion of batch <ids>' and restores the caller's actor afterwards. EXECUTE: vault_writer
-- (the owner of f_promote_contacts) only, never the runtime role, so a history row naming a
-- promotion was written by the promotion. SECURITY DEFINER: the seal needs the owner-only key.
CREATE OR REPLACE FUNCTION public.set_system_actor(p_actor text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_actor text := coalesce(p_actor, '');
BEGIN
    PERFORM pg_catalog.set_config('outreach.actor', v_actor, true);
    PERFORM pg_catalog.set_config('outreach.actor_seal',
                                  CASE WHEN v_actor = '' THEN '' ELSE public.actor_seal(v_actor) END,
                                  true);
END
$$;

REVOKE EXECUTE ON FUNCTION public.set_system_actor(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.set_system_actor(text) TO vault_writer;

COMMENT ON FUNCTION public.set_system_actor(text) IS 'v1';
