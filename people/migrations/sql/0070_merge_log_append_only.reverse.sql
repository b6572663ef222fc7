-- Reverse of 0070_merge_log_append_only: the table-wide rights of the default privileges again.
DROP TRIGGER IF EXISTS merge_log_append_only ON people.merge_log;
DROP FUNCTION IF EXISTS people.trigger_merge_log_append_only();
REVOKE UPDATE (undone_by, undone_at) ON people.merge_log FROM outreach_app;
GRANT UPDATE, DELETE ON people.merge_log TO outreach_app;
