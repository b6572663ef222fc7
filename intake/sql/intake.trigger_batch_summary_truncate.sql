-- intake.trigger_batch_summary_truncate (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- intake 0008: intake.trigger_batch_summary_truncate v2.
-- v1 ran TRUNCATE intake.batch_summary from raw_loads' AFTER TRUNCATE trigger, which fails
-- ("cannot TRUNCATE … because it is being used by active queries") when one statement truncates
-- both tables (TRUNCATE intake.raw_loads, intake.batch_summary CASCADE). v2 deletes the rows:
-- the same result, and harmless when the summary is being truncated in the same statement.
CREATE OR REPLACE FUNCTION intake.trigger_batch_summary_truncate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM intake.batch_summary;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION intake.trigger_batch_summary_truncate() IS 'v2';

REVOKE EXECUTE ON FUNCTION intake.trigger_batch_summary_truncate() FROM PUBLIC;
