-- marketing.refresh_renewal_readiness (function, v1): the live definition. The migrations hold
-- frozen snapshots; to change it, edit here, bump the stamp, copy into a new migration.

-- marketing 0021 (issue 18): recompute marketing.renewal_readiness for every company with a
-- renewal month. The statement triggers keep it current on every write; this runs where they
-- cannot: after TRUNCATE of a source table, after a bulk load with triggers off
-- (bench.seed_scale) and when the table is created. Owner only (EXECUTE revoked from PUBLIC).
CREATE OR REPLACE FUNCTION marketing.refresh_renewal_readiness()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM marketing.renewal_readiness;
    PERFORM marketing.renewal_readiness_sync(
        ARRAY(SELECT c.company_id FROM company.company c WHERE c.renewal_month IS NOT NULL));
END
$$;

COMMENT ON FUNCTION marketing.refresh_renewal_readiness() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.refresh_renewal_readiness() FROM PUBLIC;
