-- 0008_version_stamps reverse: the objects lose their stamps (definitions unchanged).
COMMENT ON VIEW people.due_email_recheck_30d IS NULL;
COMMENT ON VIEW people.next_profile_urls_30d IS NULL;
COMMENT ON FUNCTION people.trigger_contact_normalize() IS NULL;
COMMENT ON FUNCTION people.trigger_email_verification_current() IS NULL;
