-- 0007_duplicate_queue_order (reverse): drop the duplicates queue order indexes.
DROP INDEX IF EXISTS people.resolution_order_idx;
DROP INDEX IF EXISTS people.resolution_status_order_idx;
