-- 0006_renewal_dates_stored: the next renewal date and campaign window start stored on the company
-- row, indexed, so renewal lists and aggregates read a column instead of calling
-- company.next_renewal_date for every company (issue 11, B6/B8).
--   * company.company.next_renewal_date / campaign_window_start (columns added by the Django
--     migration) are kept by the BEFORE trigger company_renewal_dates: on insert, when
--     renewal_month or the notice window changes, and whenever a written date is not a valid
--     occurrence (1st of renewal_month, not after the true next renewal) it is recomputed from
--     current_date. Invariant: a stored date is always an occurrence of the month that is not
--     after the true next renewal, so "stored >= current_date" implies "stored is the true next
--     renewal"; readers use the stored date then and compute it otherwise (a stale row on a day
--     the roll-forward has not run yet stays correct).
--   * company.f_roll_renewal_dates(today): set-based roll-forward of the rows whose stored date
--     is before today (run daily by the pipeline and `manage.py roll_renewal_dates`). It neither
--     bumps updated_at nor writes history: the dates are derived bookkeeping.
--   * public.jsonb_changed_keys v2: the two derived columns are ignored by history triggers.
--   * company.vw_next_renewal: same columns and results, read from the stored dates.
-- Run by the schema owner; no SECURITY DEFINER (the app role may update company.company).

CREATE OR REPLACE FUNCTION public.jsonb_changed_keys(p_old jsonb, p_new jsonb)
RETURNS text[]
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(k ORDER BY k), '{}')
    FROM (SELECT jsonb_object_keys(coalesce(p_new, p_old)) AS k) keys
    WHERE k NOT IN ('updated_at', 'created_at', 'is_filled', 'next_renewal_date',
                    'campaign_window_start')
      AND (p_old -> k) IS DISTINCT FROM (p_new -> k)
$$;
COMMENT ON FUNCTION public.jsonb_changed_keys(jsonb, jsonb) IS 'v2';

CREATE OR REPLACE FUNCTION company.trigger_renewal_dates()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_next date := company.next_renewal_date(NEW.renewal_month, current_date);
BEGIN
    IF TG_OP = 'INSERT'
       OR NEW.renewal_month IS DISTINCT FROM OLD.renewal_month
       OR NEW.renewal_month IS NULL
       OR NEW.next_renewal_date IS NULL
       OR NEW.next_renewal_date > v_next
       OR extract(day FROM NEW.next_renewal_date) <> 1
       OR extract(month FROM NEW.next_renewal_date) <> NEW.renewal_month THEN
        NEW.next_renewal_date := v_next;
    END IF;
    NEW.campaign_window_start := NEW.next_renewal_date - NEW.renewal_notice_window_days;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION company.trigger_renewal_dates() IS 'v1';

DROP TRIGGER IF EXISTS company_renewal_dates ON company.company;
CREATE TRIGGER company_renewal_dates
    BEFORE INSERT OR UPDATE OF renewal_month, renewal_notice_window_days, next_renewal_date,
        campaign_window_start ON company.company
    FOR EACH ROW EXECUTE FUNCTION company.trigger_renewal_dates();

-- updated_at means "someone changed this company"; the roll-forward marks its transaction with
-- outreach.renewal_roll so the date bookkeeping does not look like an edit.
DROP TRIGGER IF EXISTS company_updated_at ON company.company;
CREATE TRIGGER company_updated_at BEFORE UPDATE ON company.company
    FOR EACH ROW
    WHEN (coalesce(current_setting('outreach.renewal_roll', true), '') <> 'on')
    EXECUTE FUNCTION public.trigger_updated_at();

CREATE OR REPLACE FUNCTION company.f_roll_renewal_dates(p_today date DEFAULT current_date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rolled integer;
BEGIN
    PERFORM set_config('outreach.renewal_roll', 'on', true);
    UPDATE company.company c
       SET next_renewal_date = company.next_renewal_date(c.renewal_month, p_today)
     WHERE c.next_renewal_date < p_today
        OR (c.next_renewal_date IS NULL AND c.renewal_month IS NOT NULL);
    GET DIAGNOSTICS v_rolled = ROW_COUNT;
    PERFORM set_config('outreach.renewal_roll', 'off', true);
    RETURN v_rolled;
END
$$;
COMMENT ON FUNCTION company.f_roll_renewal_dates(date) IS 'v1';
GRANT EXECUTE ON FUNCTION company.f_roll_renewal_dates(date) TO outreach_app;

-- Backfill (the trigger computes both columns from current_date).
SELECT set_config('outreach.renewal_roll', 'on', true);
UPDATE company.company SET next_renewal_date = NULL WHERE renewal_month IS NOT NULL;
SELECT set_config('outreach.renewal_roll', 'off', true);

-- Same columns and results as 0003; the date is the stored one when it is not stale.
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
    SELECT CASE WHEN c.next_renewal_date >= current_date THEN c.next_renewal_date
                ELSE company.next_renewal_date(c.renewal_month, current_date)
           END AS next_renewal_date
) r
WHERE c.renewal_month IS NOT NULL;
