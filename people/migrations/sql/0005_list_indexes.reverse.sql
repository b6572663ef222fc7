-- Reverse of 0005_list_indexes.
DROP INDEX IF EXISTS people.contact_full_name_keyset_idx;
