-- 0006_campaign_members_setbased (reverse): back to 0003's per-row member trigger for inserts.
DROP TRIGGER IF EXISTS campaign_contact_inserted_rules ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_fill ON marketing.campaign_contact;
DROP TRIGGER IF EXISTS campaign_contact_rules ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_rules
    BEFORE INSERT OR UPDATE OF campaign_id OR DELETE ON marketing.campaign_contact
    FOR EACH ROW EXECUTE FUNCTION marketing.trigger_campaign_member_rules();
DROP FUNCTION IF EXISTS marketing.trigger_campaign_member_fill();
DROP FUNCTION IF EXISTS marketing.trigger_campaign_members_inserted();
