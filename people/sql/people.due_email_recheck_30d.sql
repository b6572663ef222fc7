-- people.due_email_recheck_30d (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW people.due_email_recheck_30d AS
SELECT p.contact_id,
       p.full_name,
       p.email,
       coalesce(v.email_status, 'gray') AS email_status,
       v.email_checked_at AS last_checked_at
FROM people.contact p
LEFT JOIN people.contact_verification v ON v.contact_id = p.contact_id
WHERE p.email IS NOT NULL
  AND p.status NOT IN ('merged', 'unsubscribed', 'inactive')
  AND (v.email_checked_at IS NULL OR v.email_checked_at < now() - interval '30 days');

COMMENT ON VIEW people.due_email_recheck_30d IS 'v1';
