-- Reverse of 0090_slot_coverage: the triggers, their functions and the summary tables.
DROP TRIGGER IF EXISTS company_slot_coverage_ins ON company.company_slot;
DROP TRIGGER IF EXISTS company_slot_coverage_upd ON company.company_slot;
DROP TRIGGER IF EXISTS company_slot_coverage_del ON company.company_slot;
DROP TRIGGER IF EXISTS company_slot_coverage_trunc ON company.company_slot;
DROP TRIGGER IF EXISTS company_coverage_ins ON company.company;
DROP TRIGGER IF EXISTS company_coverage_upd ON company.company;
DROP TRIGGER IF EXISTS company_coverage_del ON company.company;
DROP TRIGGER IF EXISTS company_coverage_trunc ON company.company;
DROP FUNCTION IF EXISTS company.trigger_slot_coverage_truncate();
DROP FUNCTION IF EXISTS company.trigger_slot_coverage();
DROP FUNCTION IF EXISTS company.slot_coverage_sync(bigint[]);
DROP FUNCTION IF EXISTS company.refresh_slot_coverage();
DROP FUNCTION IF EXISTS company.role_bit(text);
DROP TABLE IF EXISTS company.slot_coverage;
DROP TABLE IF EXISTS company.slot_mask;
