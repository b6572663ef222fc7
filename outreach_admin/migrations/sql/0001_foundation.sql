-- 0001_foundation: schemas, extensions, roles and the helper functions every app relies on.
-- Run by the schema owner (superuser on the embedded server; on a managed server a user with
-- CREATEROLE that owns the database). Idempotent. Roles are cluster-wide: created guarded and
-- never dropped by the reverse script.

CREATE SCHEMA IF NOT EXISTS company;
CREATE SCHEMA IF NOT EXISTS people;
CREATE SCHEMA IF NOT EXISTS marketing;
CREATE SCHEMA IF NOT EXISTS intake;
CREATE SCHEMA IF NOT EXISTS vault;
CREATE SCHEMA IF NOT EXISTS ple;
CREATE SCHEMA IF NOT EXISTS bit;

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- outreach_app: the web app's runtime login (never superuser, never owner, so RLS applies).
-- mcp_ingest / mcp_promote: the documented function-caller roles (seed 001).
-- intake_writer / vault_writer: NOLOGIN owners of the SECURITY DEFINER functions; they hold the
-- only write policies on the RLS-protected tables.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'outreach_app') THEN
        CREATE ROLE outreach_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mcp_ingest') THEN
        CREATE ROLE mcp_ingest NOLOGIN NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mcp_promote') THEN
        CREATE ROLE mcp_promote NOLOGIN NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'intake_writer') THEN
        CREATE ROLE intake_writer NOLOGIN NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vault_writer') THEN
        CREATE ROLE vault_writer NOLOGIN NOBYPASSRLS;
    END IF;
    -- A non-superuser owner must be a member to SET ROLE to the app role (requests do) and to
    -- hand function ownership to the writer roles.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT outreach_app, intake_writer, vault_writer TO %I', current_user);
    END IF;
END
$$;

GRANT mcp_ingest, mcp_promote TO outreach_app;

GRANT USAGE ON SCHEMA company, people, marketing, intake, vault, ple, bit, public
    TO outreach_app, mcp_ingest, mcp_promote, intake_writer, vault_writer;

-- Tables created later by the owner: read/write for the app in the app-owned schemas.
-- intake and vault get SELECT only; their write rules are set per table by intake's migrations.
ALTER DEFAULT PRIVILEGES IN SCHEMA company, people, marketing, ple, bit, public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO outreach_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA intake, vault
    GRANT SELECT ON TABLES TO outreach_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA company, people, marketing, ple, bit, public
    GRANT USAGE, SELECT ON SEQUENCES TO outreach_app;

-- Barton IDs: PREFIX.YY.NNNNN.NNN, the last eight digits from one sequence (so unique).
CREATE SEQUENCE IF NOT EXISTS public.barton_id_seq MAXVALUE 99999999;
GRANT USAGE ON SEQUENCE public.barton_id_seq
    TO outreach_app, mcp_ingest, mcp_promote, intake_writer, vault_writer;

CREATE OR REPLACE FUNCTION public.generate_barton_id(prefix text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    IF prefix IS NULL OR prefix !~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$' THEN
        RAISE EXCEPTION 'invalid Barton ID prefix %, expected NN.NN.NN', prefix
            USING ERRCODE = '22023';
    END IF;
    n := nextval('public.barton_id_seq');
    RETURN prefix || '.' || to_char(current_date, 'YY') || '.'
        || lpad((n / 1000)::text, 5, '0') || '.' || lpad((n % 1000)::text, 3, '0');
END
$$;
COMMENT ON FUNCTION public.generate_barton_id(text) IS 'v1';

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

-- Rejects any UPDATE that changes the column named by the trigger's first argument.
CREATE OR REPLACE FUNCTION public.trigger_immutable_column()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (to_jsonb(NEW) -> TG_ARGV[0]) IS DISTINCT FROM (to_jsonb(OLD) -> TG_ARGV[0]) THEN
        RAISE EXCEPTION '%.% is immutable', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION public.trigger_immutable_column() IS 'v1';

-- The acting user named by the app for this transaction (SET LOCAL outreach.actor), else the
-- database user.
CREATE OR REPLACE FUNCTION public.current_actor()
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(nullif(current_setting('outreach.actor', true), ''), current_user::text)
$$;
COMMENT ON FUNCTION public.current_actor() IS 'v1';
