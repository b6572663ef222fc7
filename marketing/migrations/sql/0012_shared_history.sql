-- 0012_shared_history: marketing's nine history triggers (same names, same events) now run
-- public.trigger_history (companies 0010_shared_history) instead of the marketing.trigger_history
-- clone (v2), which is dropped. row_id is the table's key; campaign updates that move only the
-- counts ('-sent_count', '-response_count', '-target_count') still write no row.

DROP TRIGGER IF EXISTS campaign_history_insert ON marketing.campaign;
CREATE TRIGGER campaign_history_insert AFTER INSERT ON marketing.campaign
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=campaign_id', 'campaign_id', 'contact_id');
DROP TRIGGER IF EXISTS campaign_history_update ON marketing.campaign;
CREATE TRIGGER campaign_history_update AFTER UPDATE ON marketing.campaign
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=campaign_id', 'campaign_id', 'contact_id', '-sent_count', '-response_count', '-target_count');
DROP TRIGGER IF EXISTS campaign_history_delete ON marketing.campaign;
CREATE TRIGGER campaign_history_delete AFTER DELETE ON marketing.campaign
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=campaign_id', 'campaign_id', 'contact_id');

DROP TRIGGER IF EXISTS campaign_contact_history_insert ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_history_insert AFTER INSERT ON marketing.campaign_contact
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=campaign_contact_id', 'campaign_id', 'contact_id');
DROP TRIGGER IF EXISTS campaign_contact_history_update ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_history_update AFTER UPDATE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=campaign_contact_id', 'campaign_id', 'contact_id');
DROP TRIGGER IF EXISTS campaign_contact_history_delete ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_history_delete AFTER DELETE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=campaign_contact_id', 'campaign_id', 'contact_id');

DROP TRIGGER IF EXISTS message_log_history_insert ON marketing.message_log;
CREATE TRIGGER message_log_history_insert AFTER INSERT ON marketing.message_log
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=message_log_id', 'campaign_id', 'contact_id');
DROP TRIGGER IF EXISTS message_log_history_update ON marketing.message_log;
CREATE TRIGGER message_log_history_update AFTER UPDATE ON marketing.message_log
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=message_log_id', 'campaign_id', 'contact_id');
DROP TRIGGER IF EXISTS message_log_history_delete ON marketing.message_log;
CREATE TRIGGER message_log_history_delete AFTER DELETE ON marketing.message_log
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.trigger_history('row_id=message_log_id', 'campaign_id', 'contact_id');

DROP FUNCTION IF EXISTS marketing.trigger_history();
