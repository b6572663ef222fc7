-- public.actor_seal (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- outreach_admin 0050 (issue 19): the seal that binds outreach.actor to one transaction of one
-- backend. A keyed hash of (backend pid, transaction start, actor) under the secret of
-- public.actor_key, which only the owner can read: set_actor/set_system_actor store it in
-- outreach.actor_seal, current_actor() recomputes it and honours outreach.actor only when the
-- two agree. Nested sha256(key || sha256(key || message)) so a seal cannot be extended by
-- appending to the message (pgcrypto's hmac is not installed). The transaction start is read as
-- numeric epoch seconds, so no setting (TimeZone, DateStyle, extra_float_digits) changes the
-- text. Called only from the owner's definer functions (they run as the owner); EXECUTE is
-- revoked from PUBLIC and granted to nobody. Not PARALLEL SAFE: a parallel worker has its own
-- pid (the default, PARALLEL UNSAFE, keeps it and current_actor() in the leader).
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
