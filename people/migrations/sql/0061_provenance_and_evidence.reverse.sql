-- Reverse of 0061_provenance_and_evidence: drop the guard and the promotion's extra grants
-- (the provenance table itself goes with migration 0060).
DROP TRIGGER IF EXISTS contact_verification_vendor_guard ON people.contact_verification;
DROP FUNCTION IF EXISTS people.trigger_vendor_evidence_guard();
REVOKE UPDATE ON people.contact FROM vault_writer;
REVOKE SELECT ON people.history FROM vault_writer;
REVOKE SELECT, INSERT ON people.email_verification FROM vault_writer;
REVOKE USAGE ON SEQUENCE people.email_verification_verification_id_seq FROM vault_writer;
DROP FUNCTION IF EXISTS public.database_setting(text);
REVOKE UPDATE ON people.contact_verification FROM vault_writer;
