-- public.jsonb_changed_keys (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
