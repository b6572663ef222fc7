-- Reverse of 0092_renewal_count: the triggers, their functions and the summary table.
DROP TRIGGER IF EXISTS company_renewal_count_ins ON company.company;
DROP TRIGGER IF EXISTS company_renewal_count_upd ON company.company;
DROP TRIGGER IF EXISTS company_renewal_count_del ON company.company;
DROP TRIGGER IF EXISTS company_renewal_count_trunc ON company.company;
DROP FUNCTION IF EXISTS company.trigger_renewal_count_truncate();
DROP FUNCTION IF EXISTS company.trigger_renewal_count();
DROP FUNCTION IF EXISTS company.refresh_renewal_count();
DROP TABLE IF EXISTS company.renewal_count;
