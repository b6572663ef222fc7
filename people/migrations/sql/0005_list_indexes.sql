-- 0005_list_indexes: an index matching the people list's keyset order (issue 11, B1/B2).
-- The list sorts by full_name with contact_id breaking ties (outreach_admin/pagination.py);
-- without a btree on (full_name, contact_id) every page sorted the whole filtered table
-- (146 ms at size S) and deep pages also scanned the OFFSET. Run by the schema owner.
CREATE INDEX IF NOT EXISTS contact_full_name_keyset_idx
    ON people.contact (full_name, contact_id);
