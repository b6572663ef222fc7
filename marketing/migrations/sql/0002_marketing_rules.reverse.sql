-- Reverse of 0002_marketing_rules.
DROP VIEW IF EXISTS marketing.outreach_history;
DROP VIEW IF EXISTS marketing.campaigns;
DROP TRIGGER IF EXISTS ac_handoff_updated_at ON marketing.ac_handoff;
DROP TRIGGER IF EXISTS campaign_contact_updated_at ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_updated_at ON marketing.campaign;
SELECT public.redefine_fk('marketing.feedback_report', 'campaign_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.attribution', 'campaign_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.attribution', 'contact_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.ac_handoff', 'assigned_to_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.ac_handoff', 'booking_event_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.booking_event', 'campaign_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.message_log', 'contact_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.message_log', 'campaign_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.campaign_contact', 'company_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.campaign_contact', 'contact_id', 'NO ACTION');
SELECT public.redefine_fk('marketing.campaign_contact', 'campaign_id', 'NO ACTION');
