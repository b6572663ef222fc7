-- 0006_campaign_members_setbased: campaign member rules checked once per statement (issue 11,
-- B14). v1 (0003) ran a plpgsql BEFORE ROW trigger for every inserted member (campaign status,
-- person status, e-mail status, slot lookup: three to four lookups per row), so building a
-- campaign cost several times a bare INSERT … SELECT. Now:
--   * INSERT: one AFTER STATEMENT trigger over the transition table checks every new member in
--     three set-based queries — the campaign is draft, the person active, the e-mail green —
--     with v1's messages and SQLSTATE 23514 (the statement, and so the whole build, fails);
--   * a BEFORE ROW trigger runs only for rows that lack company_id or role_code (WHEN clause),
--     filling them from the person's slot as v1 did; campaign_create always captures both;
--   * UPDATE OF campaign_id and DELETE keep v1's per-row trigger (rare, single-row operations).
-- Run by the schema owner.

CREATE OR REPLACE FUNCTION marketing.trigger_campaign_members_inserted()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    SELECT c.name, c.status INTO r
    FROM (SELECT DISTINCT n.campaign_id FROM new_members n) n
    JOIN marketing.campaign c ON c.campaign_id = n.campaign_id
    WHERE c.status <> 'draft'
    ORDER BY c.campaign_id
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'members can be added to campaign "%" only while it is draft (it is %)',
            r.name, r.status USING ERRCODE = '23514';
    END IF;

    SELECT n.contact_id, p.full_name, p.status INTO r
    FROM new_members n
    JOIN people.contact p ON p.contact_id = n.contact_id
    WHERE p.status <> 'active'
    ORDER BY n.campaign_contact_id
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'person % (%) is % and cannot join a campaign',
            r.contact_id, r.full_name, r.status USING ERRCODE = '23514';
    END IF;

    SELECT n.contact_id, p.full_name, coalesce(v.email_status, 'not verified') AS email_status
    INTO r
    FROM new_members n
    JOIN people.contact p ON p.contact_id = n.contact_id
    LEFT JOIN people.contact_verification v ON v.contact_id = n.contact_id
    WHERE coalesce(v.email_status, 'not verified') <> 'green'
    ORDER BY n.campaign_contact_id
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'person % (%) has email status %; only green emails can join a campaign',
            r.contact_id, r.full_name, r.email_status USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION marketing.trigger_campaign_members_inserted() IS 'v1';

-- Company and role of a member inserted without them: the person's first slot (CEO, CFO, HR
-- order), else the person's employer — v1's rule.
CREATE OR REPLACE FUNCTION marketing.trigger_campaign_member_fill()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_slot record;
    v_company bigint;
BEGIN
    SELECT s.company_id, s.role_code INTO v_slot
    FROM company.company_slot s
    WHERE s.contact_id = NEW.contact_id
      AND (NEW.company_id IS NULL OR s.company_id = NEW.company_id)
    ORDER BY s.company_id, array_position(ARRAY['CEO', 'CFO', 'HR'], s.role_code)
    LIMIT 1;
    SELECT p.company_id INTO v_company FROM people.contact p WHERE p.contact_id = NEW.contact_id;
    NEW.company_id := coalesce(NEW.company_id, v_slot.company_id, v_company);
    NEW.role_code := coalesce(NEW.role_code, v_slot.role_code);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION marketing.trigger_campaign_member_fill() IS 'v1';

DROP TRIGGER IF EXISTS campaign_contact_rules ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_rules
    BEFORE UPDATE OF campaign_id OR DELETE ON marketing.campaign_contact
    FOR EACH ROW EXECUTE FUNCTION marketing.trigger_campaign_member_rules();
DROP TRIGGER IF EXISTS campaign_contact_fill ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_fill
    BEFORE INSERT ON marketing.campaign_contact
    FOR EACH ROW WHEN (NEW.company_id IS NULL OR NEW.role_code IS NULL)
    EXECUTE FUNCTION marketing.trigger_campaign_member_fill();
DROP TRIGGER IF EXISTS campaign_contact_inserted_rules ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_inserted_rules
    AFTER INSERT ON marketing.campaign_contact
    REFERENCING NEW TABLE AS new_members
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_campaign_members_inserted();
