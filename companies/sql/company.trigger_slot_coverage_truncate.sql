-- company.trigger_slot_coverage_truncate (function, v1): the live definition. The migrations
-- hold frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

-- companies 0090 (issue 18): AFTER TRUNCATE of company.company or company.company_slot:
-- recompute company.slot_mask and company.slot_coverage (statement triggers see no rows on
-- TRUNCATE). Truncated companies leave them empty; truncated slots leave every active company
-- at masks (0, 0).
CREATE OR REPLACE FUNCTION company.trigger_slot_coverage_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM company.refresh_slot_coverage();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION company.trigger_slot_coverage_truncate() IS 'v1';

REVOKE EXECUTE ON FUNCTION company.trigger_slot_coverage_truncate() FROM PUBLIC;
