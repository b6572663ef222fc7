-- people.next_profile_urls_30d (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW people.next_profile_urls_30d AS
SELECT p.contact_id,
       coalesce(nullif(btrim(p.profile_source_url), ''), p.linkedin_url) AS url,
       p.last_profile_checked_at AS last_checked_at
FROM people.contact p
WHERE p.status NOT IN ('merged', 'inactive')
  AND coalesce(nullif(btrim(p.profile_source_url), ''), nullif(btrim(p.linkedin_url), ''))
      IS NOT NULL
  AND (p.last_profile_checked_at IS NULL OR p.last_profile_checked_at < now() - interval '30 days');

COMMENT ON VIEW people.next_profile_urls_30d IS 'v1';
