-- 0009_history reverse: the history triggers and their function go (the table is dropped by the
-- migration's CreateModel reverse).
DROP TRIGGER IF EXISTS campaign_history_insert ON marketing.campaign;
DROP TRIGGER IF EXISTS campaign_history_update ON marketing.campaign;
DROP TRIGGER IF EXISTS campaign_history_delete ON marketing.campaign;
DROP TRIGGER IF EXISTS campaign_contact_history_insert ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_history_update ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_history_delete ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS message_log_history_insert ON marketing.message_log;
DROP TRIGGER IF EXISTS message_log_history_update ON marketing.message_log;
DROP TRIGGER IF EXISTS message_log_history_delete ON marketing.message_log;
DROP FUNCTION IF EXISTS marketing.trigger_history();
