-- marketing.add_business_days (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0004_handoff_sla: the handoff SLA clock in SQL, so the handoff list can sort and filter on
-- "overdue" in the database instead of looping over rows in Python.
--   marketing.add_business_days(start, days, tz): start + days business days (Mon–Fri), the
--   time of day kept in the wall-clock time of tz; a weekend start counts from Monday 00:00.
--   The Python twin is outreach_admin/business_days.py (tests check both agree).
-- Plain SQL, no SECURITY DEFINER: it reads nothing. IMMUTABLE because its result depends only
-- on its arguments (the time zone is one of them), so it may be used in indexes and sorts.
-- Run by the schema owner; the app role may execute it.

CREATE OR REPLACE FUNCTION marketing.add_business_days(
    p_start timestamptz, p_days integer, p_tz text DEFAULT 'UTC')
RETURNS timestamptz
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH l AS (
        SELECT p_start AT TIME ZONE p_tz AS ts
    ), s AS (
        SELECT CASE WHEN extract(isodow FROM ts) >= 6
                    THEN date_trunc('day', ts) + make_interval(days => 8 - extract(isodow FROM ts)::int)
                    ELSE ts END AS ts
        FROM l
    ), d AS (
        SELECT ts, extract(isodow FROM ts)::int - 1 AS wd,
               greatest(p_days, 0) / 5 AS weeks, greatest(p_days, 0) % 5 AS rest
        FROM s
    )
    SELECT (ts + make_interval(days => weeks * 7 + rest + CASE WHEN wd + rest >= 5 THEN 2 ELSE 0 END))
           AT TIME ZONE p_tz
    FROM d
$$;

COMMENT ON FUNCTION marketing.add_business_days(timestamptz, integer, text) IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.add_business_days(timestamptz, integer, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION marketing.add_business_days(timestamptz, integer, text) TO outreach_app;
