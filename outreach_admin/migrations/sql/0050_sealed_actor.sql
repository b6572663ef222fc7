-- 0050_sealed_actor (issue 19): the acting user can be named only transaction-locally through the
-- app's own path. public.actor_key holds the owner-only secret; public.set_actor (runtime role)
-- and public.set_system_actor (vault_writer, for promotions) set outreach.actor with a seal bound
-- to this backend and transaction; public.current_actor() v3 honours outreach.actor only with a
-- matching seal, else names the login. A session-level SET outreach.actor, or a set_config
-- without the seal, is no longer an actor.

-- One row, readable by the owner only (the default privileges of schema public would give the
-- runtime role every table right: revoked explicitly).
CREATE TABLE IF NOT EXISTS public.actor_key (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    secret text NOT NULL
        DEFAULT pg_catalog.replace(pg_catalog.gen_random_uuid()::text
                                   || pg_catalog.gen_random_uuid()::text, '-', '')
);
INSERT INTO public.actor_key DEFAULT VALUES ON CONFLICT DO NOTHING;
REVOKE ALL ON public.actor_key FROM PUBLIC, outreach_app;

-- public.actor_seal
CREATE OR REPLACE FUNCTION public.actor_seal(p_actor text)
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
               k.secret || pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
                   k.secret || ':' || pg_catalog.pg_backend_pid()::text || ':'
                   || EXTRACT(epoch FROM pg_catalog.transaction_timestamp())::text
                   || ':' || p_actor, 'UTF8')), 'hex'),
               'UTF8')), 'hex')
    FROM public.actor_key k
$$;

REVOKE EXECUTE ON FUNCTION public.actor_seal(text) FROM PUBLIC;

COMMENT ON FUNCTION public.actor_seal(text) IS 'v1';

-- public.set_actor
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

-- public.set_system_actor
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

-- public.current_actor
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

