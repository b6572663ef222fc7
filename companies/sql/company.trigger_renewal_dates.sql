-- company.trigger_renewal_dates (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- companies 0008: company.trigger_renewal_dates v2.
-- v1 computed the next renewal before the row's CHECKs ran, so renewal_month 0 or 13 failed
-- inside make_date (22008 "date field value out of range") instead of the table's CHECK
-- (23514) that names the rule. v2 computes dates only for a real month (1–12) and otherwise
-- leaves them NULL, so the CHECK constraint is what rejects the row.
CREATE OR REPLACE FUNCTION company.trigger_renewal_dates()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_next date;
BEGIN
    IF NEW.renewal_month IS NULL OR NEW.renewal_month NOT BETWEEN 1 AND 12 THEN
        NEW.next_renewal_date := NULL;
        NEW.campaign_window_start := NULL;
        RETURN NEW;
    END IF;
    v_next := company.next_renewal_date(NEW.renewal_month, current_date);
    IF TG_OP = 'INSERT'
       OR NEW.renewal_month IS DISTINCT FROM OLD.renewal_month
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

COMMENT ON FUNCTION company.trigger_renewal_dates() IS 'v2';
