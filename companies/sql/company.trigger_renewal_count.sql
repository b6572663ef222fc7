-- company.trigger_renewal_count (function, v1): the live definition. The migrations hold frozen
-- snapshots; to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
