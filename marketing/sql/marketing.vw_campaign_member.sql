-- marketing.vw_campaign_member (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- The members of campaigns with the derived "on hold" state.
CREATE OR REPLACE VIEW marketing.vw_campaign_member AS
SELECT m.campaign_contact_id,
       m.campaign_id,
       m.contact_id,
       m.company_id,
       m.role_code,
       m.status,
       (m.status = 'pending' AND EXISTS (
            SELECT 1 FROM marketing.booking_event b
            WHERE b.campaign_id = m.campaign_id AND b.company_id = m.company_id)) AS on_hold
FROM marketing.campaign_contact m;

COMMENT ON VIEW marketing.vw_campaign_member IS 'v1';
