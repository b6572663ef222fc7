-- marketing 0022 (issue 18): the campaign pre-flight's pending-duplicate lookup (v3) reads the
-- pending pairs of its candidate people only, through these partial indexes (the pending rows
-- are few; the foreign-key indexes hold every resolved pair too).
CREATE INDEX IF NOT EXISTS resolution_pending_primary_idx
    ON people.resolution_queue (contact_primary_id) WHERE resolution_status = 'pending';
CREATE INDEX IF NOT EXISTS resolution_pending_duplicate_idx
    ON people.resolution_queue (contact_duplicate_id) WHERE resolution_status = 'pending';
