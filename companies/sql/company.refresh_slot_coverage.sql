-- company.refresh_slot_coverage (function, v1): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- companies 0090 (issue 18): recompute company.slot_mask and company.slot_coverage from
-- scratch (one pass over active companies and their slots). The statement triggers keep them
-- current on every write; this runs where they cannot: after TRUNCATE (the truncate trigger),
-- after a bulk load with triggers off (bench.seed_scale) and when the tables are created.
-- Owner only (EXECUTE revoked from PUBLIC).
CREATE OR REPLACE FUNCTION company.refresh_slot_coverage()
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM company.slot_mask;
    INSERT INTO company.slot_mask (company_id, present, filled)
    SELECT c.company_id,
           coalesce(pg_catalog.bit_or(company.role_bit(s.role_code)), 0),
           coalesce(pg_catalog.bit_or(company.role_bit(s.role_code))
                        FILTER (WHERE s.contact_id IS NOT NULL), 0)
    FROM company.company c
    LEFT JOIN company.company_slot s ON s.company_id = c.company_id
    WHERE c.status = 'active'
    GROUP BY c.company_id;
    DELETE FROM company.slot_coverage;
    INSERT INTO company.slot_coverage (present, filled, companies)
    SELECT m.present, m.filled, pg_catalog.count(*)
    FROM company.slot_mask m
    GROUP BY m.present, m.filled
    ORDER BY m.present, m.filled;
$$;

COMMENT ON FUNCTION company.refresh_slot_coverage() IS 'v1';

REVOKE EXECUTE ON FUNCTION company.refresh_slot_coverage() FROM PUBLIC;
