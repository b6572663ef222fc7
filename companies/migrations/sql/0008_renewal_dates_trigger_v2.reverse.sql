-- companies 0008 reverse: company.trigger_renewal_dates back to v1 (as in 0006).
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
