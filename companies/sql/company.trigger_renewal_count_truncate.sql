-- company.trigger_renewal_count_truncate (function, v1): the live definition. The migrations
-- hold frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

-- companies 0092 (issue 18): AFTER TRUNCATE of company.company: recompute company.renewal_count
-- (statement triggers see no rows on TRUNCATE).
CREATE OR REPLACE FUNCTION company.trigger_renewal_count_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM company.refresh_renewal_count();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION company.trigger_renewal_count_truncate() IS 'v1';

REVOKE EXECUTE ON FUNCTION company.trigger_renewal_count_truncate() FROM PUBLIC;
