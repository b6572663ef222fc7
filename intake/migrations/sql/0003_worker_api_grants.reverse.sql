-- Reverse of 0003_worker_api_grants (the tables themselves are dropped by the model migration).
REVOKE ALL ON intake.worker_token, intake.work_item_lease FROM outreach_app;
REVOKE ALL ON SEQUENCE intake.worker_token_token_id_seq, intake.work_item_lease_lease_id_seq
    FROM outreach_app;
