-- companies 0090 (issue 18): company.slot_coverage, the count of active companies per
-- (roles present, roles filled) mask, and company.slot_mask, each active company's masks, kept
-- by statement-level triggers with transition tables on company.company and company.company_slot
-- (the pattern of intake.batch_summary), recomputed after TRUNCATE. The open-slot queue's
-- coverage panel and the dashboard read the few rows of slot_coverage instead of aggregating
-- every active company's slots (95k groups at size M).
CREATE TABLE IF NOT EXISTS company.slot_mask (
    company_id bigint PRIMARY KEY,
    present smallint NOT NULL,
    filled smallint NOT NULL
);
CREATE TABLE IF NOT EXISTS company.slot_coverage (
    present smallint NOT NULL,
    filled smallint NOT NULL,
    companies bigint NOT NULL,
    PRIMARY KEY (present, filled)
);
REVOKE ALL ON company.slot_mask, company.slot_coverage FROM outreach_app;
GRANT SELECT ON company.slot_mask, company.slot_coverage TO outreach_app;


-- companies 0090 (issue 18): a slot role as one bit of a company's role mask (CEO 1, CFO 2,
-- HR 4: the order of outreach_admin.fields.ROLES, which companies.selectors decodes).
CREATE OR REPLACE FUNCTION company.role_bit(p_role text)
RETURNS integer
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE p_role WHEN 'CEO' THEN 1 WHEN 'CFO' THEN 2 WHEN 'HR' THEN 4 ELSE 0 END
$$;

COMMENT ON FUNCTION company.role_bit(text) IS 'v1';


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


-- companies 0090 (issue 18): statement-level AFTER INSERT/UPDATE/DELETE trigger on
-- company.company_slot and company.company (transition tables old_rows/new_rows) keeping
-- company.slot_coverage, the count of active companies per (roles present, roles filled) mask
-- that the open-slot queue and the dashboard read instead of aggregating every slot: the
-- companies the statement touched are re-synchronised by company.slot_coverage_sync. On
-- company.company only an INSERT, a DELETE or a change of status can change the summary, so an
-- UPDATE that changes no status (the daily renewal roll over every company) syncs nothing.
-- SECURITY DEFINER: the writers (outreach_app, vault_writer) may read the summary, not write it.
CREATE OR REPLACE FUNCTION company.trigger_slot_coverage()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_ids bigint[];
BEGIN
    -- (Nested IFs: a transition table a trigger does not declare cannot even be named.)
    IF TG_OP = 'INSERT' THEN
        v_ids := ARRAY(SELECT n.company_id FROM new_rows n);
    ELSIF TG_OP = 'DELETE' THEN
        v_ids := ARRAY(SELECT o.company_id FROM old_rows o);
    ELSIF TG_TABLE_NAME = 'company_slot' THEN
        v_ids := ARRAY(SELECT o.company_id FROM old_rows o
                       UNION SELECT n.company_id FROM new_rows n);
    ELSE
        v_ids := ARRAY(SELECT n.company_id
                       FROM old_rows o JOIN new_rows n ON n.company_id = o.company_id
                       WHERE o.status IS DISTINCT FROM n.status);
    END IF;
    PERFORM company.slot_coverage_sync(v_ids);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION company.trigger_slot_coverage() IS 'v1';

REVOKE EXECUTE ON FUNCTION company.trigger_slot_coverage() FROM PUBLIC;


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

DROP TRIGGER IF EXISTS company_slot_coverage_ins ON company.company_slot;
CREATE TRIGGER company_slot_coverage_ins AFTER INSERT ON company.company_slot
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage();
DROP TRIGGER IF EXISTS company_slot_coverage_upd ON company.company_slot;
CREATE TRIGGER company_slot_coverage_upd AFTER UPDATE ON company.company_slot
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage();
DROP TRIGGER IF EXISTS company_slot_coverage_del ON company.company_slot;
CREATE TRIGGER company_slot_coverage_del AFTER DELETE ON company.company_slot
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage();
DROP TRIGGER IF EXISTS company_slot_coverage_trunc ON company.company_slot;
CREATE TRIGGER company_slot_coverage_trunc AFTER TRUNCATE ON company.company_slot
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage_truncate();

DROP TRIGGER IF EXISTS company_coverage_ins ON company.company;
CREATE TRIGGER company_coverage_ins AFTER INSERT ON company.company
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage();
DROP TRIGGER IF EXISTS company_coverage_upd ON company.company;
CREATE TRIGGER company_coverage_upd AFTER UPDATE ON company.company
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage();
DROP TRIGGER IF EXISTS company_coverage_del ON company.company;
CREATE TRIGGER company_coverage_del AFTER DELETE ON company.company
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage();
DROP TRIGGER IF EXISTS company_coverage_trunc ON company.company;
CREATE TRIGGER company_coverage_trunc AFTER TRUNCATE ON company.company
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_slot_coverage_truncate();

SELECT company.refresh_slot_coverage();
