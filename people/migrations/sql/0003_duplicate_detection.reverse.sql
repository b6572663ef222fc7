-- 0003_duplicate_detection (reverse): drop the detector, indexes, nickname table and normalisers.
DROP FUNCTION IF EXISTS people.detect_duplicates();
DROP INDEX IF EXISTS people.contact_norm_email_idx;
DROP INDEX IF EXISTS people.contact_norm_linkedin_idx;
DROP INDEX IF EXISTS people.contact_norm_phone_idx;
DROP INDEX IF EXISTS people.contact_work_phone_idx;
DROP INDEX IF EXISTS people.contact_personal_phone_idx;
DROP INDEX IF EXISTS people.contact_email_domain_idx;
DROP FUNCTION IF EXISTS people.canonical_first_name(text);
DROP FUNCTION IF EXISTS people.sorted_letters(text);
DROP TABLE IF EXISTS people.nickname;
DROP FUNCTION IF EXISTS people.name_suffix(text);
DROP FUNCTION IF EXISTS people.normalize_name(text);
DROP FUNCTION IF EXISTS people.is_personal_email_domain(text);
DROP FUNCTION IF EXISTS people.email_domain(text);
DROP FUNCTION IF EXISTS people.normalize_phone(text);
DROP FUNCTION IF EXISTS people.normalize_linkedin(text);
DROP FUNCTION IF EXISTS people.normalize_email(text);
