-- 0002_runtime_grants: the runtime role's rights on tables created before the default
-- privileges of 0001 existed (Django's own auth, session, admin and content-type tables) and on
-- their sequences. Later tables get theirs from the default privileges. Run by the owner.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO outreach_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO outreach_app;
-- Migration bookkeeping is the owner's alone.
REVOKE INSERT, UPDATE, DELETE ON public.django_migrations FROM outreach_app;
