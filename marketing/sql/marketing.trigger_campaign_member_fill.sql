-- marketing.trigger_campaign_member_fill (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
