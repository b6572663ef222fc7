-- marketing.trigger_campaign_member_rules (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Members: draft-only changes, green-only joins, company and role captured.
CREATE OR REPLACE FUNCTION marketing.trigger_campaign_member_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_campaign record;
    v_person record;
    v_slot record;
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.campaign_id IS DISTINCT FROM OLD.campaign_id)
    THEN
        SELECT c.name, c.status INTO v_campaign
        FROM marketing.campaign c WHERE c.campaign_id = OLD.campaign_id;
        -- A missing campaign or person means a cascade from their deletion: let it through.
        IF FOUND AND v_campaign.status <> 'draft'
           AND EXISTS (SELECT 1 FROM people.contact p
                       WHERE p.contact_id = OLD.contact_id AND p.status <> 'merged') THEN
            RAISE EXCEPTION 'members of campaign "%" can be removed only while it is draft (it is %)',
                v_campaign.name, v_campaign.status USING ERRCODE = '23514';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.campaign_id IS NOT DISTINCT FROM OLD.campaign_id THEN
        RETURN NEW;
    END IF;

    SELECT c.name, c.status INTO v_campaign
    FROM marketing.campaign c WHERE c.campaign_id = NEW.campaign_id;
    IF FOUND AND v_campaign.status <> 'draft' THEN
        RAISE EXCEPTION 'members can be added to campaign "%" only while it is draft (it is %)',
            v_campaign.name, v_campaign.status USING ERRCODE = '23514';
    END IF;

    SELECT p.full_name, p.status, p.company_id, coalesce(v.email_status, 'not verified') AS email_status
    INTO v_person
    FROM people.contact p
    LEFT JOIN people.contact_verification v ON v.contact_id = p.contact_id
    WHERE p.contact_id = NEW.contact_id;
    IF FOUND THEN
        IF v_person.status <> 'active' THEN
            RAISE EXCEPTION 'person % (%) is % and cannot join a campaign',
                NEW.contact_id, v_person.full_name, v_person.status USING ERRCODE = '23514';
        END IF;
        IF v_person.email_status <> 'green' THEN
            RAISE EXCEPTION 'person % (%) has email status %; only green emails can join a campaign',
                NEW.contact_id, v_person.full_name, v_person.email_status USING ERRCODE = '23514';
        END IF;
    END IF;

    IF NEW.company_id IS NULL OR NEW.role_code IS NULL THEN
        SELECT s.company_id, s.role_code INTO v_slot
        FROM company.company_slot s
        WHERE s.contact_id = NEW.contact_id
          AND (NEW.company_id IS NULL OR s.company_id = NEW.company_id)
        ORDER BY s.company_id, array_position(ARRAY['CEO', 'CFO', 'HR'], s.role_code)
        LIMIT 1;
        NEW.company_id := coalesce(NEW.company_id, v_slot.company_id, v_person.company_id);
        NEW.role_code := coalesce(NEW.role_code, v_slot.role_code);
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION marketing.trigger_campaign_member_rules() IS 'v1';
