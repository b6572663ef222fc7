-- Reverse of 0091_worker_token_hash_private: table-wide SELECT and UPDATE again, no function.
DROP FUNCTION IF EXISTS intake.worker_authenticate(text);
GRANT SELECT, UPDATE ON intake.worker_token TO outreach_app;
