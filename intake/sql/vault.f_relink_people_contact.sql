-- vault.f_relink_people_contact (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- intake 0090 (issue 19): the audit/summary actor is public.current_actor(), which honours
-- outreach.actor only when sealed by public.set_actor (a plain or session-level SET of the
-- setting names the login instead); no other change.
-- 0002_f_relink_people_contact: vault.f_relink_people_contact(p_from bigint, p_to bigint) → int
--
-- Re-points every vault.contacts row linked to person p_from at person p_to and returns how many
-- rows moved. Used by person merges (absorbed → survivor) and their undo; the merge service
-- records the returned count in people.merge_log. One intake.audit_log row
-- ('people_contact_relinked') per call that moved rows.
-- Who may call: outreach_app only (the web app's merge/undo services).
-- Why SECURITY DEFINER: the app has no write grant on vault.contacts and RLS admits only
-- vault_writer, the owner of this function. search_path pinned, names schema-qualified.

CREATE OR REPLACE FUNCTION vault.f_relink_people_contact(p_from bigint, p_to bigint)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_moved integer;
BEGIN
    IF p_from IS NULL OR p_to IS NULL THEN
        RAISE EXCEPTION 'p_from and p_to must both be given' USING ERRCODE = '22023';
    END IF;
    IF p_from = p_to THEN
        RETURN 0;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM people.contact p WHERE p.contact_id = p_to) THEN
        RAISE EXCEPTION 'person % does not exist', p_to USING ERRCODE = '23503';
    END IF;

    UPDATE vault.contacts c
    SET people_contact_id = p_to,
        updated_at = pg_catalog.clock_timestamp()
    WHERE c.people_contact_id = p_from;
    GET DIAGNOSTICS v_moved = ROW_COUNT;

    IF v_moved > 0 THEN
        INSERT INTO intake.audit_log (action, user_name, contact_id, record_count, details)
        VALUES ('people_contact_relinked',
                public.current_actor(),
                p_to, v_moved,
                pg_catalog.jsonb_build_object('from_people_contact_id', p_from,
                                              'to_people_contact_id', p_to,
                                              'rows', v_moved));
    END IF;
    RETURN v_moved;
END
$$;

COMMENT ON FUNCTION vault.f_relink_people_contact(bigint, bigint) IS 'v2';

REVOKE EXECUTE ON FUNCTION vault.f_relink_people_contact(bigint, bigint) FROM PUBLIC;

-- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION vault.f_relink_people_contact(bigint, bigint) OWNER TO vault_writer;

GRANT EXECUTE ON FUNCTION vault.f_relink_people_contact(bigint, bigint) TO outreach_app;
