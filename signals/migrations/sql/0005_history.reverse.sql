-- 0005_history reverse: the signal history triggers and their function go (the table is dropped
-- by the migration's CreateModel reverse).
DROP TRIGGER IF EXISTS signal_history_insert ON bit.signal;
DROP TRIGGER IF EXISTS signal_history_update ON bit.signal;
DROP TRIGGER IF EXISTS signal_history_delete ON bit.signal;
DROP FUNCTION IF EXISTS bit.trigger_history();
