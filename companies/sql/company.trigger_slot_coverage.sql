-- company.trigger_slot_coverage (function, v1): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
