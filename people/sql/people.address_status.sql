-- people.address_status (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- What is known about address p_email of person p_contact_id: the newest of its latest recorded
-- result and its remembered status (people.address_verification); no row when nothing is.
CREATE OR REPLACE FUNCTION people.address_status(p_contact_id bigint, p_email text)
RETURNS TABLE (email_status text, email_checked_at timestamptz, email_confidence numeric,
               email_source_url text, provider text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.email_status, s.checked_at, s.confidence, s.source_url, s.provider
    FROM ((SELECT e.email_status, e.verified_at AS checked_at, e.confidence, e.source_url,
                  e.provider, 1 AS pri
           FROM people.email_verification e
           WHERE e.contact_id = p_contact_id AND lower(e.email) = lower(p_email)
           ORDER BY e.verified_at DESC, e.verification_id DESC
           LIMIT 1)
          UNION ALL
          SELECT a.email_status, a.email_checked_at, a.email_confidence, a.email_source_url,
                 a.provider, 0
          FROM people.address_verification a
          WHERE a.contact_id = p_contact_id AND lower(a.email) = lower(p_email)) AS s
    ORDER BY s.checked_at DESC NULLS LAST, s.pri
    LIMIT 1
$$;

REVOKE EXECUTE ON FUNCTION people.address_status(bigint, text) FROM PUBLIC;

COMMENT ON FUNCTION people.address_status(bigint, text) IS 'v1';
