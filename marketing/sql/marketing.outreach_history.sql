-- marketing.outreach_history (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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

GRANT SELECT ON marketing.outreach_history TO outreach_app;

COMMENT ON VIEW marketing.outreach_history IS 'v1';
