-- Reverse of 0001_foundation. Roles are cluster-wide and shared with other databases: never
-- dropped here. Schemas are dropped only when empty (the apps' reverse migrations emptied them).
DROP FUNCTION IF EXISTS public.current_actor();
DROP FUNCTION IF EXISTS public.trigger_immutable_column();
DROP FUNCTION IF EXISTS public.trigger_updated_at();
DROP FUNCTION IF EXISTS public.generate_barton_id(text);
DROP SEQUENCE IF EXISTS public.barton_id_seq;
ALTER DEFAULT PRIVILEGES IN SCHEMA company, people, marketing, ple, bit, public
    REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM outreach_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA intake, vault REVOKE SELECT ON TABLES FROM outreach_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA company, people, marketing, ple, bit, public
    REVOKE USAGE, SELECT ON SEQUENCES FROM outreach_app;
DROP SCHEMA IF EXISTS bit;
DROP SCHEMA IF EXISTS ple;
DROP SCHEMA IF EXISTS vault;
DROP SCHEMA IF EXISTS intake;
DROP SCHEMA IF EXISTS marketing;
DROP SCHEMA IF EXISTS people;
DROP SCHEMA IF EXISTS company;
