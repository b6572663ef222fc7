-- Reverse of 0081_queue_indexes.
DROP INDEX IF EXISTS people.contact_profile_check_queue_idx;
DROP INDEX IF EXISTS people.contact_verif_check_queue_idx;
