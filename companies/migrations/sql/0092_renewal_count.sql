-- companies 0092 (issue 18): company.renewal_count, the companies with a renewal month per
-- (renewal month, notice window, stored next renewal date, stored window start), kept by
-- statement-level triggers with transition tables on company.company (the pattern of
-- marketing.member_status_count), recomputed after TRUNCATE. The dashboard's renewals by month
-- reads its few rows (12 months x the distinct notice windows) instead of scanning every
-- company (100k at size M). The dates may be NULL (a row the renewal trigger has not dated),
-- hence the NULLS NOT DISTINCT key.
CREATE TABLE IF NOT EXISTS company.renewal_count (
    renewal_month smallint NOT NULL,
    window_days integer NOT NULL,
    next_renewal_date date,
    campaign_window_start date,
    companies bigint NOT NULL,
    CONSTRAINT renewal_count_key UNIQUE NULLS NOT DISTINCT
        (renewal_month, window_days, next_renewal_date, campaign_window_start)
);
REVOKE ALL ON company.renewal_count FROM outreach_app;
GRANT SELECT ON company.renewal_count TO outreach_app;

-- companies 0092 (issue 18): recompute company.renewal_count (companies with a renewal month
-- per renewal month, notice window and stored renewal/window dates) from scratch. The statement
-- triggers keep it current on every write; this runs where they cannot: after TRUNCATE (the
-- truncate trigger), after a bulk load with triggers off (bench.seed_scale) and when the table
-- is created. Owner only (EXECUTE revoked from PUBLIC).
CREATE OR REPLACE FUNCTION company.refresh_renewal_count()
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM company.renewal_count;
    INSERT INTO company.renewal_count
        (renewal_month, window_days, next_renewal_date, campaign_window_start, companies)
    SELECT c.renewal_month, c.renewal_notice_window_days, c.next_renewal_date,
           c.campaign_window_start, pg_catalog.count(*)
    FROM company.company c
    WHERE c.renewal_month IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
$$;

COMMENT ON FUNCTION company.refresh_renewal_count() IS 'v1';

REVOKE EXECUTE ON FUNCTION company.refresh_renewal_count() FROM PUBLIC;

-- companies 0092 (issue 18): statement-level AFTER INSERT/UPDATE/DELETE trigger on
-- company.company (transition tables old_rows/new_rows) keeping company.renewal_count, the
-- companies with a renewal month per (renewal month, notice window, stored next renewal, stored
-- window start), which the dashboard's renewals by month reads instead of scanning every
-- company. The statement's rows leave their old key (-1) and join their new one (+1); net
-- deltas are upserted in key order (no deadlock between two such statements) and a count that
-- reaches 0 is deleted, so an UPDATE that changes no key column writes nothing.
-- SECURITY DEFINER: the writers may read the summary, not write it.
CREATE OR REPLACE FUNCTION company.trigger_renewal_count()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_delta jsonb;
BEGIN
    -- (Nested IFs: a transition table a trigger does not declare cannot even be named.)
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(
                   n.renewal_month, n.renewal_notice_window_days, n.next_renewal_date,
                   n.campaign_window_start, 1))
          INTO v_delta
          FROM new_rows n WHERE n.renewal_month IS NOT NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(
                   x.renewal_month, x.renewal_notice_window_days, x.next_renewal_date,
                   x.campaign_window_start, x.sign))
          INTO v_delta
          FROM (SELECT o.renewal_month, o.renewal_notice_window_days, o.next_renewal_date,
                       o.campaign_window_start, -1 AS sign
                FROM old_rows o JOIN new_rows n ON n.company_id = o.company_id
                WHERE o.renewal_month IS NOT NULL
                  AND (o.renewal_month, o.renewal_notice_window_days, o.next_renewal_date,
                       o.campaign_window_start)
                      IS DISTINCT FROM
                      (n.renewal_month, n.renewal_notice_window_days, n.next_renewal_date,
                       n.campaign_window_start)
                UNION ALL
                SELECT n.renewal_month, n.renewal_notice_window_days, n.next_renewal_date,
                       n.campaign_window_start, 1
                FROM old_rows o JOIN new_rows n ON n.company_id = o.company_id
                WHERE n.renewal_month IS NOT NULL
                  AND (o.renewal_month, o.renewal_notice_window_days, o.next_renewal_date,
                       o.campaign_window_start)
                      IS DISTINCT FROM
                      (n.renewal_month, n.renewal_notice_window_days, n.next_renewal_date,
                       n.campaign_window_start)) x;
    ELSE
        SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(
                   o.renewal_month, o.renewal_notice_window_days, o.next_renewal_date,
                   o.campaign_window_start, -1))
          INTO v_delta
          FROM old_rows o WHERE o.renewal_month IS NOT NULL;
    END IF;
    IF v_delta IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO company.renewal_count AS s
        (renewal_month, window_days, next_renewal_date, campaign_window_start, companies)
    SELECT (d.e->>0)::smallint, (d.e->>1)::integer, (d.e->>2)::date, (d.e->>3)::date,
           pg_catalog.sum((d.e->>4)::bigint)
    FROM pg_catalog.jsonb_array_elements(v_delta) AS d(e)
    GROUP BY 1, 2, 3, 4
    HAVING pg_catalog.sum((d.e->>4)::bigint) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (renewal_month, window_days, next_renewal_date, campaign_window_start)
    DO UPDATE SET companies = s.companies + EXCLUDED.companies;
    DELETE FROM company.renewal_count s WHERE s.companies = 0;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION company.trigger_renewal_count() IS 'v1';

REVOKE EXECUTE ON FUNCTION company.trigger_renewal_count() FROM PUBLIC;

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

DROP TRIGGER IF EXISTS company_renewal_count_ins ON company.company;
CREATE TRIGGER company_renewal_count_ins AFTER INSERT ON company.company
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_renewal_count();
DROP TRIGGER IF EXISTS company_renewal_count_upd ON company.company;
CREATE TRIGGER company_renewal_count_upd AFTER UPDATE ON company.company
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_renewal_count();
DROP TRIGGER IF EXISTS company_renewal_count_del ON company.company;
CREATE TRIGGER company_renewal_count_del AFTER DELETE ON company.company
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_renewal_count();
DROP TRIGGER IF EXISTS company_renewal_count_trunc ON company.company;
CREATE TRIGGER company_renewal_count_trunc AFTER TRUNCATE ON company.company
    FOR EACH STATEMENT EXECUTE FUNCTION company.trigger_renewal_count_truncate();

SELECT company.refresh_renewal_count();
