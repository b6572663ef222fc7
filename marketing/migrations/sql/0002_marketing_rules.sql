-- 0002_marketing_rules: foreign-key actions, updated_at triggers and the documented views
-- (marketing.campaigns from seed 002, marketing.outreach_history from seed 001).
-- Run by the schema owner.

SELECT public.redefine_fk('marketing.campaign_contact', 'campaign_id', 'CASCADE');
SELECT public.redefine_fk('marketing.campaign_contact', 'contact_id', 'CASCADE');
SELECT public.redefine_fk('marketing.campaign_contact', 'company_id', 'SET NULL');
SELECT public.redefine_fk('marketing.message_log', 'campaign_id', 'SET NULL');
SELECT public.redefine_fk('marketing.message_log', 'contact_id', 'SET NULL');
SELECT public.redefine_fk('marketing.booking_event', 'campaign_id', 'SET NULL');
SELECT public.redefine_fk('marketing.ac_handoff', 'booking_event_id', 'SET NULL');
SELECT public.redefine_fk('marketing.ac_handoff', 'assigned_to_id', 'SET NULL');
SELECT public.redefine_fk('marketing.attribution', 'contact_id', 'CASCADE');
SELECT public.redefine_fk('marketing.attribution', 'campaign_id', 'SET NULL');
SELECT public.redefine_fk('marketing.feedback_report', 'campaign_id', 'CASCADE');

DROP TRIGGER IF EXISTS campaign_updated_at ON marketing.campaign;
CREATE TRIGGER campaign_updated_at BEFORE UPDATE ON marketing.campaign
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();
DROP TRIGGER IF EXISTS campaign_contact_updated_at ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_updated_at BEFORE UPDATE ON marketing.campaign_contact
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();
DROP TRIGGER IF EXISTS ac_handoff_updated_at ON marketing.ac_handoff;
CREATE TRIGGER ac_handoff_updated_at BEFORE UPDATE ON marketing.ac_handoff
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();

-- Seed 002's name for the campaign table: a simple (auto-updatable) view.
CREATE OR REPLACE VIEW marketing.campaigns AS
SELECT campaign_id, name, type, status, target_count, sent_count, response_count,
       created_at, started_at, ended_at
FROM marketing.campaign;

CREATE OR REPLACE VIEW marketing.outreach_history AS
SELECT m.message_log_id AS id,
       m.contact_id AS person_id,
       m.campaign_id,
       m.channel,
       m.direction,
       coalesce(m.message_type, CASE m.direction WHEN 'inbound' THEN 'reply' ELSE 'initial' END)
           AS message_type,
       m.subject,
       m.sent_at,
       m.opened_at,
       m.replied_at,
       coalesce(m.status, 'sent') AS status,
       p.full_name,
       p.email,
       coalesce(cc.company_id, p.company_id) AS company_id,
       co.company_name,
       coalesce(cc.role_code, s.role_code) AS role_code,
       ca.name AS campaign_name
FROM marketing.message_log m
LEFT JOIN people.contact p ON p.contact_id = m.contact_id
LEFT JOIN marketing.campaign_contact cc
       ON cc.campaign_id = m.campaign_id AND cc.contact_id = m.contact_id
LEFT JOIN company.company co ON co.company_id = coalesce(cc.company_id, p.company_id)
LEFT JOIN LATERAL (
    SELECT sl.role_code FROM company.company_slot sl
    WHERE sl.contact_id = m.contact_id AND sl.company_id = coalesce(cc.company_id, p.company_id)
    ORDER BY sl.role_code LIMIT 1
) s ON true
LEFT JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id;

GRANT SELECT, INSERT, UPDATE, DELETE ON marketing.campaigns TO outreach_app;
GRANT SELECT ON marketing.outreach_history TO outreach_app;
