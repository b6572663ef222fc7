-- Reverse of 0022_preflight_indexes.
DROP INDEX IF EXISTS people.resolution_pending_primary_idx;
DROP INDEX IF EXISTS people.resolution_pending_duplicate_idx;
