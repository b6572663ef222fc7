-- Reverse of 0005_batch_summary: the triggers and their function (the table is dropped by the
-- Django CreateModel reversal).
DROP TRIGGER IF EXISTS raw_loads_batch_summary_ins ON intake.raw_loads;
DROP TRIGGER IF EXISTS raw_loads_batch_summary_upd ON intake.raw_loads;
DROP TRIGGER IF EXISTS raw_loads_batch_summary_del ON intake.raw_loads;
DROP FUNCTION IF EXISTS intake.trigger_batch_summary();
