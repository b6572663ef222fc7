-- intake 0008 reverse: intake.trigger_batch_summary_truncate back to v1 (as in 0007).
CREATE OR REPLACE FUNCTION intake.trigger_batch_summary_truncate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    TRUNCATE intake.batch_summary;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION intake.trigger_batch_summary_truncate() IS 'v1';
REVOKE EXECUTE ON FUNCTION intake.trigger_batch_summary_truncate() FROM PUBLIC;
