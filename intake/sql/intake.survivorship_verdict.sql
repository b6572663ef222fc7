-- intake.survivorship_verdict (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0061_f_promote_contacts_v3: vault.f_promote_contacts v3 — v2's contract (call shapes
-- `SELECT * FROM vault.f_promote_contacts();` and with an id array, the same four result
-- columns, counts, message keys, events, locks, grants) plus what issue 16 asks of a promotion.
--
-- What v3 adds:
--   * Every field of the raw vocabulary v2 (intake.raw_load_fields v2, intake 0060) is carried:
--     person: full_name/first/last, title, seniority, department, phone, work_phone_e164,
--     personal_phone_e164 (from the mobile), linkedin_url, location ("City, State, Country"),
--     company_id; company: company_name, domain (the key), website_url, linkedin_url,
--     company_phone, employee_count, industry, city, state_region, country. A person is named
--     after the e-mail only when no load holds a name (full_name, first+last, "_norm" parts).
--   * Survivorship (docs/SURVIVORSHIP.md), per field, set-based, by intake.survivorship_verdict:
--       1. an empty incoming value never changes anything (non-empty beats empty);
--       2. the same value changes nothing and records nothing (a re-run changes 0 rows);
--       3. an empty field (or a person "named" after the e-mail) takes the value;
--       4. a coordinator's value is kept and the vendor value recorded as 'rejected': the
--          record was created by hand (source_system 'manual') and no promotion has set the
--          field since, or a history row by anyone but a promotion changed the field after
--          the last promotion that set it;
--       5. a value set by a trusted source (database setting outreach.trusted_sources, comma
--          list, default none, read by public.database_setting: ALTER DATABASE … SET only)
--          is kept against an untrusted one ('rejected');
--       6. a value set by a later load is kept against an earlier load ('rejected');
--       7. otherwise the newer load wins ('applied').
--     Each applied or rejected value is a row in people.field_provenance /
--     company.field_provenance (field, value, source, load_id, batch_id, outcome, reason, set_by,
--     set_at); the record page reads them (people/provenance.py, companies/provenance.py).
--   * Every golden-record write runs with outreach.actor = 'promotion of batch <batch_id>' (ids
--     joined by ', ' when several), so people.history and company.history name the promotion;
--     the caller's actor is restored afterwards and still names the audit row's user.
--   * Slot auto-fill: the bulk-fill classifier (company.classify_titles) and threshold (0.7,
--     companies.services.slots_bulk_fill), only into an empty slot, one slot per person per
--     company, read from the person's title as it stands after survivorship.
--   * Title and slot never disagree: when the promotion changes a person's title and the new
--     title no longer classifies to the role of a slot they hold at the threshold, the slot is
--     cleared (history: the promotion as actor, the reason in new_values.reason) and may be
--     refilled by the fill step; listed as slots.cleared in the result.
--   * Vendor e-mail status: a people.email_verification row (provider = the load's source,
--     status mapped by intake.vendor_email_status, result.vendor_evidence = true) written with
--     outreach.vendor_evidence = 'on', so people 0061's guard leaves contact_verification as it
--     was: a vendor's "Verified" never makes an address green by itself (unless the provider is
--     listed in outreach.trusted_email_providers; default none).
--   * The detailed result is in the audit row: details.result = {loads: {processed, promoted,
--     failed, failed_load_ids}, people/companies: {created, updated, unchanged, failed},
--     slots: {filled, cleared}, fields_rejected, vendor_evidence_rows, actor}; people and
--     companies each add up to the distinct records the promoted loads reached, promoted +
--     failed loads to the loads processed. The message gains contacts_updated,
--     companies_updated, slots_cleared and fields_rejected.
-- Set-based statements, no row loop, no EXCEPTION block (no subtransactions). SECURITY DEFINER
-- owned by vault_writer as v2 (grants for the new writes: people 0061, companies 0061);
-- search_path pinned (pg_catalog, pg_temp), every permanent name schema-qualified. Idempotent.

-- Survivorship verdict of one incoming field value (rules 2-7 above; rule 1 is the caller's
-- "value IS NOT NULL"). NULL outcome: nothing to do.
CREATE OR REPLACE FUNCTION intake.survivorship_verdict(
    p_value text, p_current text, p_created boolean, p_current_is_placeholder boolean,
    p_manual boolean, p_load_id bigint, p_source text, p_last_load_id bigint,
    p_last_source text)
RETURNS TABLE (outcome text, reason text)
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH t AS (
        SELECT string_to_array(replace(coalesce(public.database_setting('outreach.trusted_sources'), ''),
                                       ' ', ''), ',') AS trusted)
    SELECT v.outcome, v.reason
    FROM t CROSS JOIN LATERAL (SELECT
        CASE WHEN p_value IS NOT DISTINCT FROM p_current THEN
                  CASE WHEN p_created THEN 'applied' END
             WHEN p_current IS NULL OR btrim(p_current) = '' OR p_current_is_placeholder
                  THEN 'applied'
             WHEN p_manual THEN 'rejected'
             WHEN coalesce(p_last_source = ANY (t.trusted), false)
                  AND NOT coalesce(p_source = ANY (t.trusted), false) THEN 'rejected'
             WHEN p_last_load_id > p_load_id THEN 'rejected'
             ELSE 'applied' END AS outcome,
        CASE WHEN p_value IS NOT DISTINCT FROM p_current THEN
                  CASE WHEN p_created THEN 'created' END
             WHEN p_current IS NULL OR btrim(p_current) = '' OR p_current_is_placeholder
                  THEN 'fills an empty field'
             WHEN p_manual THEN 'a coordinator''s edit is kept'
             WHEN coalesce(p_last_source = ANY (t.trusted), false)
                  AND NOT coalesce(p_source = ANY (t.trusted), false)
                  THEN format('set by the trusted source %s', p_last_source)
             WHEN p_last_load_id > p_load_id
                  THEN format('older than load %s, which set it', p_last_load_id)
             WHEN p_last_load_id IS NULL THEN 'replaces a value with no recorded source'
             ELSE format('newer than load %s', p_last_load_id) END AS reason) v
$$;

COMMENT ON FUNCTION intake.survivorship_verdict(text, text, boolean, boolean, boolean, bigint,
    text, bigint, text) IS 'v1';

REVOKE EXECUTE ON FUNCTION intake.survivorship_verdict(text, text, boolean, boolean, boolean,
    bigint, text, bigint, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION intake.survivorship_verdict(text, text, boolean, boolean, boolean,
    bigint, text, bigint, text) TO vault_writer, outreach_app;
