-- 0006_similar_people_keys (reverse): drop the name-key indexes.
DROP INDEX IF EXISTS people.contact_first_name_key_idx;
DROP INDEX IF EXISTS people.contact_last_name_key_idx;
