-- marketing.trigger_message_outreach_guard (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Outbound messages: never to a member on hold (company booked in this campaign) nor to a
-- person who unsubscribed, bounced or was merged.
CREATE OR REPLACE FUNCTION marketing.trigger_message_outreach_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_status text;
BEGIN
    IF NEW.direction <> 'outbound' OR NEW.contact_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT p.status INTO v_status FROM people.contact p WHERE p.contact_id = NEW.contact_id;
    IF v_status IN ('unsubscribed', 'bounced', 'merged') THEN
        RAISE EXCEPTION 'person % is %: no outbound messages', NEW.contact_id, v_status
            USING ERRCODE = '23514';
    END IF;
    IF NEW.campaign_id IS NOT NULL AND EXISTS (
        SELECT 1
        FROM marketing.campaign_contact m
        JOIN marketing.booking_event b
          ON b.campaign_id = m.campaign_id AND b.company_id = m.company_id
        WHERE m.campaign_id = NEW.campaign_id AND m.contact_id = NEW.contact_id
          AND m.status = 'pending')
    THEN
        RAISE EXCEPTION 'person % is on hold in campaign %: the company already booked a meeting',
            NEW.contact_id, NEW.campaign_id USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION marketing.trigger_message_outreach_guard() IS 'v1';
