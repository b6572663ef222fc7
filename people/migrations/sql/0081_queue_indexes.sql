-- people 0081 (issue 18): the profile URL and e-mail recheck queues in index order, like the
-- company URL queue (companies 0091). The queues page reads each as LIMITed index-ordered
-- branches (intake.selectors.profile_url_queue_sql / email_recheck_queue_sql) instead of
-- sorting every live person to keep one page.
-- Profile URLs: the rows people.next_profile_urls_30d can list, in its order.
CREATE INDEX IF NOT EXISTS contact_profile_check_queue_idx ON people.contact
    (last_profile_checked_at NULLS FIRST, contact_id)
    WHERE status NOT IN ('merged', 'inactive')
      AND coalesce(nullif(btrim(profile_source_url), ''), nullif(btrim(linkedin_url), ''))
          IS NOT NULL;
-- E-mail rechecks: verification rows by last check, never-checked first, then the person.
CREATE INDEX IF NOT EXISTS contact_verif_check_queue_idx ON people.contact_verification
    (email_checked_at NULLS FIRST, contact_id);
