-- marketing.trigger_campaign_members_inserted (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
