-- Reverse of 0110_upload_job_grants (the table itself is dropped by the model migration).
REVOKE ALL ON intake.upload_job FROM outreach_app;
