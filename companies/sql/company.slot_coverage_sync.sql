-- company.slot_coverage_sync (function, v1): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- companies 0090 (issue 18): bring the given companies' entries of company.slot_mask (one row
-- per active company: its roles-present / roles-filled masks) in line with the source tables as
-- they are now, and move company.slot_coverage (active companies per mask pair) by the same
-- difference. Re-synchronising from the truth, rather than applying each statement's delta,
-- gives the same result whatever order the statement triggers of company and company_slot fire
-- in (one query may insert a company and its slots through data-modifying CTEs; slots may be
-- written before their company while the foreign key is deferred; a company's slots are
-- cascaded away at commit). The companies' state rows are locked first, in key order, and the
-- truth is read after the lock, so two transactions syncing one company serialise; summary rows
-- are upserted in key order. Called only by the trigger functions (EXECUTE revoked from PUBLIC).
CREATE OR REPLACE FUNCTION company.slot_coverage_sync(p_ids bigint[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_ids bigint[];
    v_old_present integer[];
    v_old_filled integer[];
    v_new_present integer[];
    v_new_filled integer[];
BEGIN
    SELECT pg_catalog.array_agg(DISTINCT x ORDER BY x) INTO v_ids
      FROM pg_catalog.unnest(p_ids) AS x WHERE x IS NOT NULL;
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    PERFORM 1 FROM company.slot_mask m
     WHERE m.company_id = ANY (v_ids) ORDER BY m.company_id FOR UPDATE;
    WITH gone AS (
        DELETE FROM company.slot_mask m WHERE m.company_id = ANY (v_ids)
        RETURNING m.present, m.filled
    )
    SELECT pg_catalog.array_agg(g.present), pg_catalog.array_agg(g.filled)
      INTO v_old_present, v_old_filled FROM gone g;
    WITH now_ AS (
        INSERT INTO company.slot_mask (company_id, present, filled)
        SELECT c.company_id,
               coalesce(pg_catalog.bit_or(company.role_bit(s.role_code)), 0),
               coalesce(pg_catalog.bit_or(company.role_bit(s.role_code))
                            FILTER (WHERE s.contact_id IS NOT NULL), 0)
        FROM company.company c
        LEFT JOIN company.company_slot s ON s.company_id = c.company_id
        WHERE c.company_id = ANY (v_ids) AND c.status = 'active'
        GROUP BY c.company_id
        RETURNING present, filled
    )
    SELECT pg_catalog.array_agg(n.present), pg_catalog.array_agg(n.filled)
      INTO v_new_present, v_new_filled FROM now_ n;
    INSERT INTO company.slot_coverage AS s (present, filled, companies)
    SELECT d.present, d.filled, pg_catalog.sum(d.sign)
    FROM (
        SELECT u.present, u.filled, -1 AS sign
        FROM ROWS FROM (pg_catalog.unnest(v_old_present), pg_catalog.unnest(v_old_filled))
             AS u(present, filled)
        UNION ALL
        SELECT u.present, u.filled, 1
        FROM ROWS FROM (pg_catalog.unnest(v_new_present), pg_catalog.unnest(v_new_filled))
             AS u(present, filled)
    ) d
    GROUP BY d.present, d.filled
    HAVING pg_catalog.sum(d.sign) <> 0
    ORDER BY d.present, d.filled
    ON CONFLICT (present, filled) DO UPDATE SET companies = s.companies + EXCLUDED.companies;
    DELETE FROM company.slot_coverage WHERE companies = 0;
END
$$;

COMMENT ON FUNCTION company.slot_coverage_sync(bigint[]) IS 'v1';

REVOKE EXECUTE ON FUNCTION company.slot_coverage_sync(bigint[]) FROM PUBLIC;
