-- people.trigger_vendor_evidence_guard (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION people.trigger_vendor_evidence_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF coalesce(current_setting('outreach.vendor_evidence', true), '') = 'on'
       AND NOT coalesce(NEW.provider = ANY (string_to_array(
               replace(coalesce(public.database_setting('outreach.trusted_email_providers'), ''),
                       ' ', ''), ',')), false) THEN
        RETURN NULL;  -- evidence only: the current status stays as it was
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION people.trigger_vendor_evidence_guard() IS 'v1';

REVOKE EXECUTE ON FUNCTION people.trigger_vendor_evidence_guard() FROM PUBLIC;
