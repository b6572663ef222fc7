-- Reverse of 0100_worker_auth_failure_grants (the table itself is dropped by the model migration).
REVOKE ALL ON intake.worker_auth_failure FROM outreach_app;
