-- Reverse of 0085_saved_mapping_grants (the table itself is dropped by the model migration).
REVOKE ALL ON intake.saved_mapping FROM outreach_app;
