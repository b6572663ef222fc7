-- public.stored_url (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- What a URL column stores: for the intake pipeline (the promote functions run as their owners
-- vault_writer / intake_writer) normalize_http_url, so a junk vendor value becomes NULL instead
-- of failing the whole promotion; for everyone else (app, psql) url_with_scheme, so a junk
-- value reaches the CHECK and is refused loudly.
CREATE OR REPLACE FUNCTION public.stored_url(p_value text)
RETURNS text
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN current_user IN ('vault_writer', 'intake_writer')
                THEN public.normalize_http_url(p_value)
                ELSE public.url_with_scheme(p_value) END
$$;

COMMENT ON FUNCTION public.stored_url(text) IS 'v1';
