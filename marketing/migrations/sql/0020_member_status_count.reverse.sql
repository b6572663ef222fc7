-- Reverse of 0020_member_status_count: the triggers, their functions and the summary table.
DROP TRIGGER IF EXISTS campaign_contact_status_count_ins ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_status_count_upd ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_status_count_del ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_status_count_trunc ON marketing.campaign_contact;
DROP FUNCTION IF EXISTS marketing.trigger_member_status_count_truncate();
DROP FUNCTION IF EXISTS marketing.trigger_member_status_count();
DROP FUNCTION IF EXISTS marketing.refresh_member_status_count();
DROP TABLE IF EXISTS marketing.member_status_count;
