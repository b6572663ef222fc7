-- 0003_campaign_rules: the campaign rules in the database, so psql users get them too.
--   * campaign status moves: draft → active, active → paused, paused → active,
--     active → completed, paused → completed; anything else is refused (SQLSTATE 23514).
--     started_at is set on the first activation, ended_at on completion.
--   * members (marketing.campaign_contact) join only while the campaign is draft and only when
--     the person's email is green and the person is not merged, unsubscribed, bounced or
--     inactive; company_id and role_code are captured from the person's slot when the INSERT
--     leaves them out (seed 000's example does); members leave only while the campaign is draft.
--   * campaign.sent_count / response_count follow the member statuses (statement-level trigger):
--     sent = members past 'pending' (any outcome implies a message went out),
--     responses = members 'replied' or 'booked'.
--   * "stop outreach to a booked company": a pending member is on hold when the campaign has a
--     booking (marketing.booking_event) for the member's company. Derived, never stored, so it
--     cannot go stale; the message_log guard refuses outbound messages to members on hold and
--     to people who are unsubscribed, bounced or merged.
--   * marketing.vw_renewal_readiness (renewals page) and marketing.campaign_preflight()
--     (builder preview AND the set-based insert: one source of truth for who is included).
-- Run by the schema owner. No SECURITY DEFINER: every function runs with the caller's rights.

CREATE OR REPLACE FUNCTION marketing.trigger_campaign_status()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status THEN
        IF (OLD.status, NEW.status) NOT IN (('draft', 'active'), ('active', 'paused'),
                                            ('paused', 'active'), ('active', 'completed'),
                                            ('paused', 'completed')) THEN
            RAISE EXCEPTION 'campaign "%" cannot move from % to %', OLD.name, OLD.status, NEW.status
                USING ERRCODE = '23514',
                      HINT = 'Allowed moves: draft → active → paused → active → completed '
                             '(paused → completed too).';
        END IF;
    END IF;
    IF NEW.status = 'active' AND NEW.started_at IS NULL THEN
        NEW.started_at := clock_timestamp();
    END IF;
    IF NEW.status = 'completed' AND NEW.ended_at IS NULL THEN
        NEW.ended_at := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION marketing.trigger_campaign_status() IS 'v1';

DROP TRIGGER IF EXISTS campaign_status ON marketing.campaign;
CREATE TRIGGER campaign_status BEFORE INSERT OR UPDATE OF status ON marketing.campaign
    FOR EACH ROW EXECUTE FUNCTION marketing.trigger_campaign_status();

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

DROP TRIGGER IF EXISTS campaign_contact_rules ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_rules
    BEFORE INSERT OR UPDATE OF campaign_id OR DELETE ON marketing.campaign_contact
    FOR EACH ROW EXECUTE FUNCTION marketing.trigger_campaign_member_rules();

-- Counts: recomputed for the campaigns a statement touched (set-based, one UPDATE).
CREATE OR REPLACE FUNCTION marketing.trigger_campaign_counts()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH touched AS (
        SELECT campaign_id FROM changed_rows
    )
    UPDATE marketing.campaign c
    SET sent_count = k.sent, response_count = k.responses
    FROM (
        SELECT t.campaign_id,
               count(m.campaign_contact_id) FILTER (WHERE m.status <> 'pending') AS sent,
               count(m.campaign_contact_id) FILTER (WHERE m.status IN ('replied', 'booked'))
                   AS responses
        FROM (SELECT DISTINCT campaign_id FROM touched) t
        LEFT JOIN marketing.campaign_contact m ON m.campaign_id = t.campaign_id
        GROUP BY t.campaign_id
    ) k
    WHERE c.campaign_id = k.campaign_id
      AND (c.sent_count, c.response_count) IS DISTINCT FROM (k.sent, k.responses);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION marketing.trigger_campaign_counts() IS 'v1';

DROP TRIGGER IF EXISTS campaign_contact_counts_ins ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_counts_ins AFTER INSERT ON marketing.campaign_contact
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_campaign_counts();
DROP TRIGGER IF EXISTS campaign_contact_counts_upd ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_counts_upd AFTER UPDATE ON marketing.campaign_contact
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_campaign_counts();
DROP TRIGGER IF EXISTS campaign_contact_counts_del ON marketing.campaign_contact;
CREATE TRIGGER campaign_contact_counts_del AFTER DELETE ON marketing.campaign_contact
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marketing.trigger_campaign_counts();

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

DROP TRIGGER IF EXISTS message_log_outreach_guard ON marketing.message_log;
CREATE TRIGGER message_log_outreach_guard BEFORE INSERT ON marketing.message_log
    FOR EACH ROW EXECUTE FUNCTION marketing.trigger_message_outreach_guard();

CREATE INDEX IF NOT EXISTS booking_event_campaign_company_idx
    ON marketing.booking_event (campaign_id, company_id);
-- Renewal list speed: the companies with a renewal month (the only ones the list can show).
CREATE INDEX IF NOT EXISTS company_renewal_month_marketing_idx
    ON company.company (renewal_month, renewal_notice_window_days)
    WHERE renewal_month IS NOT NULL;

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

-- One row per company with a renewal month: dates, the three slot contacts and the readiness
-- checklist. Dates come from company.vw_next_renewal (computed from current_date, so correct on
-- a day no job ran).
CREATE OR REPLACE VIEW marketing.vw_renewal_readiness AS
SELECT r.*,
       r.in_window AND r.green_count > 0 AND NOT r.is_archived AND r.pending_duplicates = 0
           AND r.open_campaign_id IS NULL AS ready,
       array_remove(ARRAY[
           CASE WHEN NOT r.in_window THEN 'renewal window not open yet' END,
           CASE WHEN r.green_count = 0 THEN 'no green slot contact' END,
           CASE WHEN r.is_archived THEN 'company archived' END,
           CASE WHEN r.pending_duplicates > 0 THEN 'duplicate pending review' END,
           CASE WHEN r.open_campaign_id IS NOT NULL
                THEN format('already in campaign “%s”', r.open_campaign_name) END
       ], NULL) AS missing
FROM (
    SELECT nr.company_id,
           c.company_name,
           c.industry,
           c.state_region,
           c.status AS company_status,
           c.status = 'archived' AS is_archived,
           c.renewal_month,
           c.renewal_notice_window_days AS window_days,
           nr.next_renewal_date,
           nr.campaign_window_start,
           nr.days_until_renewal,
           nr.campaign_window_start - current_date AS days_until_window,
           nr.in_window,
           s.ceo_contact_id, s.ceo_name, s.ceo_email_status, s.ceo_contact_status,
           s.cfo_contact_id, s.cfo_name, s.cfo_email_status, s.cfo_contact_status,
           s.hr_contact_id, s.hr_name, s.hr_email_status, s.hr_contact_status,
           s.filled_count,
           s.green_count,
           s.green_roles,
           d.pending_duplicates,
           oc.campaign_id AS open_campaign_id,
           oc.name AS open_campaign_name
    FROM company.vw_next_renewal nr
    JOIN company.company c ON c.company_id = nr.company_id
    CROSS JOIN LATERAL (
        SELECT max(sl.contact_id) FILTER (WHERE sl.role_code = 'CEO') AS ceo_contact_id,
               max(p.full_name) FILTER (WHERE sl.role_code = 'CEO') AS ceo_name,
               max(v.email_status) FILTER (WHERE sl.role_code = 'CEO') AS ceo_email_status,
               max(p.status) FILTER (WHERE sl.role_code = 'CEO') AS ceo_contact_status,
               max(sl.contact_id) FILTER (WHERE sl.role_code = 'CFO') AS cfo_contact_id,
               max(p.full_name) FILTER (WHERE sl.role_code = 'CFO') AS cfo_name,
               max(v.email_status) FILTER (WHERE sl.role_code = 'CFO') AS cfo_email_status,
               max(p.status) FILTER (WHERE sl.role_code = 'CFO') AS cfo_contact_status,
               max(sl.contact_id) FILTER (WHERE sl.role_code = 'HR') AS hr_contact_id,
               max(p.full_name) FILTER (WHERE sl.role_code = 'HR') AS hr_name,
               max(v.email_status) FILTER (WHERE sl.role_code = 'HR') AS hr_email_status,
               max(p.status) FILTER (WHERE sl.role_code = 'HR') AS hr_contact_status,
               count(sl.contact_id) AS filled_count,
               count(*) FILTER (WHERE v.email_status = 'green' AND p.status = 'active')
                   AS green_count,
               coalesce(array_agg(sl.role_code ORDER BY sl.role_code)
                        FILTER (WHERE v.email_status = 'green' AND p.status = 'active'), '{}')
                   AS green_roles,
               array_agg(sl.contact_id) FILTER (WHERE sl.contact_id IS NOT NULL) AS contact_ids
        FROM company.company_slot sl
        LEFT JOIN people.contact p ON p.contact_id = sl.contact_id
        LEFT JOIN people.contact_verification v ON v.contact_id = sl.contact_id
        WHERE sl.company_id = nr.company_id
    ) s
    CROSS JOIN LATERAL (
        SELECT count(*) AS pending_duplicates
        FROM people.resolution_queue q
        WHERE q.resolution_status = 'pending'
          AND (q.contact_primary_id = ANY (s.contact_ids)
               OR q.contact_duplicate_id = ANY (s.contact_ids))
    ) d
    LEFT JOIN LATERAL (
        -- "already in a campaign for this renewal": an open (draft/active/paused) campaign, or
        -- any campaign the company joined since this renewal's window opened.
        SELECT ca.campaign_id, ca.name
        FROM marketing.campaign_contact m
        JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
        WHERE m.company_id = nr.company_id
          AND (ca.status <> 'completed' OR m.created_at >= nr.campaign_window_start)
        ORDER BY ca.campaign_id DESC
        LIMIT 1
    ) oc ON true
) r;

-- Every candidate member for a selection of companies and roles, included or excluded with the
-- exact reason. campaign_create inserts `WHERE included`, so preview and insert cannot differ.
CREATE OR REPLACE FUNCTION marketing.campaign_preflight(p_company_ids bigint[], p_roles text[])
RETURNS TABLE (company_id bigint, company_name text, role_code text, contact_id bigint,
               full_name text, email text, email_status text, contact_status text,
               included boolean, reason text)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH cand AS (
        SELECT c.company_id, c.company_name, c.status AS company_status, s.role_code,
               s.contact_id, p.full_name, p.email, p.status AS contact_status,
               v.email_status,
               company.next_renewal_date(c.renewal_month, current_date)
                   - c.renewal_notice_window_days AS window_start,
               array_position(ARRAY['CEO', 'CFO', 'HR'], s.role_code) AS role_rank
        FROM company.company c
        JOIN company.company_slot s
          ON s.company_id = c.company_id AND s.role_code = ANY (p_roles)
        LEFT JOIN people.contact p ON p.contact_id = s.contact_id
        LEFT JOIN people.contact_verification v ON v.contact_id = s.contact_id
        WHERE c.company_id = ANY (p_company_ids)
    ),
    checked AS (
        SELECT cand.*,
               CASE
                   WHEN cand.company_status = 'archived' THEN 'company archived'
                   WHEN cand.contact_id IS NULL THEN 'slot empty'
                   WHEN cand.contact_status = 'merged' THEN 'merged into another person'
                   WHEN cand.contact_status = 'unsubscribed' THEN 'unsubscribed'
                   WHEN cand.contact_status = 'bounced' THEN 'bounced'
                   WHEN cand.contact_status <> 'active' THEN 'person ' || cand.contact_status
                   WHEN cand.email IS NULL THEN 'no email address'
                   WHEN coalesce(cand.email_status, 'gray') <> 'green'
                       THEN format('email not green (%s)', coalesce(cand.email_status, 'gray'))
                   WHEN dup.pending THEN 'duplicate pending review'
                   WHEN mem.name IS NOT NULL
                       THEN format('already in campaign “%s” (%s)', mem.name, mem.status)
               END AS block_reason
        FROM cand
        LEFT JOIN LATERAL (
            SELECT true AS pending
            FROM people.resolution_queue q
            WHERE q.resolution_status = 'pending'
              AND (q.contact_primary_id = cand.contact_id
                   OR q.contact_duplicate_id = cand.contact_id)
            LIMIT 1
        ) dup ON true
        LEFT JOIN LATERAL (
            SELECT ca.name, ca.status
            FROM marketing.campaign_contact m
            JOIN marketing.campaign ca ON ca.campaign_id = m.campaign_id
            WHERE m.contact_id = cand.contact_id
              AND (ca.status <> 'completed'
                   OR (m.company_id = cand.company_id AND m.created_at >= cand.window_start))
            ORDER BY ca.campaign_id DESC
            LIMIT 1
        ) mem ON true
    ),
    ranked AS (
        SELECT checked.*,
               first_value(checked.company_name || ', ' || checked.role_code) OVER w AS first_holder,
               row_number() OVER w AS email_rank
        FROM checked
        WINDOW w AS (PARTITION BY lower(checked.email), checked.block_reason IS NULL
                     ORDER BY checked.company_id, checked.role_rank)
    )
    SELECT ranked.company_id, ranked.company_name, ranked.role_code, ranked.contact_id,
           ranked.full_name, ranked.email, ranked.email_status, ranked.contact_status,
           ranked.block_reason IS NULL AND ranked.email_rank = 1 AS included,
           CASE
               WHEN ranked.block_reason IS NOT NULL THEN ranked.block_reason
               WHEN ranked.email_rank > 1
                   THEN format('same email already included (%s)', ranked.first_holder)
               ELSE 'included'
           END AS reason
    FROM ranked
    ORDER BY ranked.company_name, ranked.company_id, ranked.role_rank
$$;
COMMENT ON FUNCTION marketing.campaign_preflight(bigint[], text[]) IS 'v1';

GRANT SELECT ON marketing.vw_renewal_readiness, marketing.vw_campaign_member TO outreach_app;
GRANT EXECUTE ON FUNCTION marketing.campaign_preflight(bigint[], text[]) TO outreach_app;
