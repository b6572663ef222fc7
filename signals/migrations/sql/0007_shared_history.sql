-- 0007_shared_history: bit.signal's three history triggers (same names, same events) now run
-- public.trigger_history (companies 0010_shared_history) instead of the bit.trigger_history
-- clone (v2), which is dropped.

DROP TRIGGER IF EXISTS signal_history_insert ON bit.signal;
CREATE TRIGGER signal_history_insert AFTER INSERT ON bit.signal
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=signal_id', 'company_id', 'contact_id');
DROP TRIGGER IF EXISTS signal_history_update ON bit.signal;
CREATE TRIGGER signal_history_update AFTER UPDATE ON bit.signal
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=signal_id', 'company_id', 'contact_id');
DROP TRIGGER IF EXISTS signal_history_delete ON bit.signal;
CREATE TRIGGER signal_history_delete AFTER DELETE ON bit.signal
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=signal_id', 'company_id', 'contact_id');

DROP FUNCTION IF EXISTS bit.trigger_history();
