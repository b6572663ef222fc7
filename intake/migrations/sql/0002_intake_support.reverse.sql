-- Reverse of 0002_intake_support.
DROP VIEW IF EXISTS intake.latest_100;
DROP VIEW IF EXISTS intake.raw_load_fields;
DROP INDEX IF EXISTS intake.raw_loads_email_norm_idx;
DROP TABLE IF EXISTS intake.free_mail_domain;
