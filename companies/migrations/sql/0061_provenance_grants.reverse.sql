-- Reverse of 0061_provenance_grants (the table goes with migration 0060).
REVOKE UPDATE ON company.company FROM vault_writer;
REVOKE SELECT ON company.history FROM vault_writer;
