-- 0007_duplicate_queue_order: indexes matching the duplicates queue's keyset order (issue 11, B2).
-- The queue lists pairs by score DESC, resolution_id (the pager's tie-breaker) and seeks with
-- (score, resolution_id) < (last row's). resolution_status_idx (status, score DESC) lacks the
-- tie-breaker, so every page re-sorted the pairs of equal score; these end in resolution_id so
-- a page (filtered by status, or not) is read straight off the index. Run by the schema owner.
CREATE INDEX IF NOT EXISTS resolution_status_order_idx
    ON people.resolution_queue (resolution_status, score DESC, resolution_id);
CREATE INDEX IF NOT EXISTS resolution_order_idx
    ON people.resolution_queue (score DESC, resolution_id);
