-- Reverse of 0003_campaign_rules.
DROP FUNCTION IF EXISTS marketing.campaign_preflight(bigint[], text[]);
DROP VIEW IF EXISTS marketing.vw_renewal_readiness;
DROP VIEW IF EXISTS marketing.vw_campaign_member;
DROP INDEX IF EXISTS company.company_renewal_month_marketing_idx;
DROP INDEX IF EXISTS marketing.booking_event_campaign_company_idx;
DROP TRIGGER IF EXISTS message_log_outreach_guard ON marketing.message_log;
DROP FUNCTION IF EXISTS marketing.trigger_message_outreach_guard();
DROP TRIGGER IF EXISTS campaign_contact_counts_ins ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_counts_upd ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_counts_del ON marketing.campaign_contact;
DROP FUNCTION IF EXISTS marketing.trigger_campaign_counts();
DROP TRIGGER IF EXISTS campaign_contact_rules ON marketing.campaign_contact;
DROP FUNCTION IF EXISTS marketing.trigger_campaign_member_rules();
DROP TRIGGER IF EXISTS campaign_status ON marketing.campaign;
DROP FUNCTION IF EXISTS marketing.trigger_campaign_status();
