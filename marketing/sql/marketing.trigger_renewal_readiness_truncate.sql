-- marketing.trigger_renewal_readiness_truncate (function, v1): the live definition. The
-- migrations hold frozen snapshots; to change it, edit here, bump the stamp, copy into a new
-- migration (docs/SQL.md).

-- marketing 0021 (issue 18): AFTER TRUNCATE of any table marketing.renewal_readiness is drawn
-- from: recompute it (statement triggers see no rows on TRUNCATE).
CREATE OR REPLACE FUNCTION marketing.trigger_renewal_readiness_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM marketing.refresh_renewal_readiness();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION marketing.trigger_renewal_readiness_truncate() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.trigger_renewal_readiness_truncate() FROM PUBLIC;
