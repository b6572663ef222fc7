-- 0070_merge_log_append_only (issue 19): the runtime role could UPDATE and DELETE
-- people.merge_log, rewriting or erasing what a merge moved. It keeps INSERT and SELECT, and
-- UPDATE of the undo mark only (merge_undo sets undone_by/undone_at); the trigger makes that
-- mark write-once and every other column immutable.
REVOKE UPDATE, DELETE, TRUNCATE ON people.merge_log FROM outreach_app;
GRANT UPDATE (undone_by, undone_at) ON people.merge_log TO outreach_app;

-- people.trigger_merge_log_append_only
CREATE OR REPLACE FUNCTION people.trigger_merge_log_append_only()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (pg_catalog.to_jsonb(NEW) - 'undone_by' - 'undone_at')
           IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - 'undone_by' - 'undone_at')
       OR OLD.undone_at IS NOT NULL
       OR NEW.undone_at IS NULL THEN
        RAISE EXCEPTION 'people.merge_log is append-only: merge % can only be marked undone, once',
            OLD.merge_id USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION people.trigger_merge_log_append_only() FROM PUBLIC;

COMMENT ON FUNCTION people.trigger_merge_log_append_only() IS 'v1';

DROP TRIGGER IF EXISTS merge_log_append_only ON people.merge_log;
CREATE TRIGGER merge_log_append_only BEFORE UPDATE ON people.merge_log
    FOR EACH ROW EXECUTE FUNCTION people.trigger_merge_log_append_only();
