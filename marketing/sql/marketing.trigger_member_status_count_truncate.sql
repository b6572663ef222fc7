-- marketing.trigger_member_status_count_truncate (function, v1): the live definition. The
-- migrations hold frozen snapshots; to change it, edit here, bump the stamp, copy into a new
-- migration (docs/SQL.md).

-- marketing 0020 (issue 18): AFTER TRUNCATE of marketing.campaign_contact: recompute
-- marketing.member_status_count (statement triggers see no rows on TRUNCATE; a DELETE-based
-- refresh also works when the summary is truncated in the same statement).
CREATE OR REPLACE FUNCTION marketing.trigger_member_status_count_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM marketing.refresh_member_status_count();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION marketing.trigger_member_status_count_truncate() IS 'v1';

REVOKE EXECUTE ON FUNCTION marketing.trigger_member_status_count_truncate() FROM PUBLIC;
