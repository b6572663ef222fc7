-- Reverse of 0003_renewal_signals.
DROP FUNCTION IF EXISTS bit.recalculate_scores(timestamptz);
DROP FUNCTION IF EXISTS bit.generate_renewal_signals(date);
DROP FUNCTION IF EXISTS bit.signal_weight(text);
