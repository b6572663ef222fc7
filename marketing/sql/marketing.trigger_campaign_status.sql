-- marketing.trigger_campaign_status (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
