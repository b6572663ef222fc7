-- Reverse of 0004_handoff_sla.
DROP FUNCTION IF EXISTS marketing.add_business_days(timestamptz, integer, text);
