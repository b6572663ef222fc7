-- 0006_similar_people_keys: name-key indexes for the "similar people" panel (issue 11, B13).
-- The panel used `lower(full_name) % name` over the GIN trigram index of 0002: GIN reads the
-- posting list of every trigram of the name and rechecks every person sharing enough of them
-- (17 ms p50 / 27 ms p95 at 50k people, growing with the table). A GiST trigram index with
-- `<->` ordering was measured too: its signatures saturate, so a LIMIT 8 nearest-neighbour scan
-- still read the whole index (~430 buffers, 50 ms). Instead the panel prefilters on btree name
-- keys — same last name prefix (4 letters: typos and suffix variants), or same first name and
-- last-name initial — and ranks that small set by trigram similarity (still >= 0.3).
-- Partial on live people, like the detector's indexes. Run by the schema owner.
CREATE INDEX IF NOT EXISTS contact_last_name_key_idx
    ON people.contact (split_part(lower(btrim(full_name)), ' ', -1) text_pattern_ops)
    WHERE status <> 'merged';
CREATE INDEX IF NOT EXISTS contact_first_name_key_idx
    ON people.contact (split_part(lower(btrim(full_name)), ' ', 1),
                       left(split_part(lower(btrim(full_name)), ' ', -1), 1))
    WHERE status <> 'merged';
