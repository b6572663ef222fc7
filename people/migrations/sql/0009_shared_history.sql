-- 0009_shared_history: people.contact and people.contact_verification move from the row-level
-- people.trigger_history clone (v1) to public.trigger_history (companies 0010_shared_history),
-- three statement-level triggers each over transition tables; the clone is dropped.

DROP TRIGGER IF EXISTS contact_history ON people.contact;
DROP TRIGGER IF EXISTS contact_history_insert ON people.contact;
CREATE TRIGGER contact_history_insert AFTER INSERT ON people.contact
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('contact_id');
DROP TRIGGER IF EXISTS contact_history_update ON people.contact;
CREATE TRIGGER contact_history_update AFTER UPDATE ON people.contact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('contact_id');
DROP TRIGGER IF EXISTS contact_history_delete ON people.contact;
CREATE TRIGGER contact_history_delete AFTER DELETE ON people.contact
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('contact_id');

DROP TRIGGER IF EXISTS contact_verification_history ON people.contact_verification;
DROP TRIGGER IF EXISTS contact_verification_history_insert ON people.contact_verification;
CREATE TRIGGER contact_verification_history_insert AFTER INSERT ON people.contact_verification
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('contact_id');
DROP TRIGGER IF EXISTS contact_verification_history_update ON people.contact_verification;
CREATE TRIGGER contact_verification_history_update AFTER UPDATE ON people.contact_verification
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('contact_id');
DROP TRIGGER IF EXISTS contact_verification_history_delete ON people.contact_verification;
CREATE TRIGGER contact_verification_history_delete AFTER DELETE ON people.contact_verification
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('contact_id');

DROP FUNCTION IF EXISTS people.trigger_history();
