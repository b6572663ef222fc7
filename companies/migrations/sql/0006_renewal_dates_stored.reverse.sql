-- Reverse of 0006_renewal_dates_stored (the columns and indexes are removed by the Django
-- migration after this runs).
CREATE OR REPLACE VIEW company.vw_next_renewal AS
SELECT c.company_id,
       c.company_name,
       c.renewal_month,
       c.renewal_notice_window_days,
       r.next_renewal_date,
       r.next_renewal_date - c.renewal_notice_window_days AS campaign_window_start,
       r.next_renewal_date - current_date AS days_until_renewal,
       (r.next_renewal_date - c.renewal_notice_window_days) <= current_date AS in_window,
       c.status
FROM company.company c
CROSS JOIN LATERAL (
    SELECT company.next_renewal_date(c.renewal_month, current_date) AS next_renewal_date
) r
WHERE c.renewal_month IS NOT NULL;

DROP FUNCTION IF EXISTS company.f_roll_renewal_dates(date);
DROP TRIGGER IF EXISTS company_renewal_dates ON company.company;
DROP FUNCTION IF EXISTS company.trigger_renewal_dates();
DROP TRIGGER IF EXISTS company_updated_at ON company.company;
CREATE TRIGGER company_updated_at BEFORE UPDATE ON company.company
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();

CREATE OR REPLACE FUNCTION public.jsonb_changed_keys(p_old jsonb, p_new jsonb)
RETURNS text[]
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(k ORDER BY k), '{}')
    FROM (SELECT jsonb_object_keys(coalesce(p_new, p_old)) AS k) keys
    WHERE k NOT IN ('updated_at', 'created_at', 'is_filled')
      AND (p_old -> k) IS DISTINCT FROM (p_new -> k)
$$;
COMMENT ON FUNCTION public.jsonb_changed_keys(jsonb, jsonb) IS 'v1';
