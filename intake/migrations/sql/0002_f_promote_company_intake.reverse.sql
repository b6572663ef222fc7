-- Reverse of 0002_f_promote_company_intake.
DROP FUNCTION IF EXISTS intake.f_promote_company_intake(bigint[]);
DROP FUNCTION IF EXISTS intake.f_company_intake_work(bigint[]);
