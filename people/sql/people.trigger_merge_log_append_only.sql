-- people.trigger_merge_log_append_only (function, v1): the live definition. The migrations hold
-- frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- people 0070 (issue 19): people.merge_log is the record that lets a merge be undone; the
-- runtime role appends to it and may only mark a merge undone, once. Its grants (INSERT, SELECT
-- and UPDATE of undone_by/undone_at only; no DELETE or TRUNCATE) keep every other column out of
-- its reach; this BEFORE UPDATE trigger refuses (55000) an update that changes any other column,
-- clears the undo mark or changes it once set, whoever runs it (the owner's repairs disable
-- triggers with session_replication_role = replica, as tests/overview do).
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
