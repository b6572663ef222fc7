-- Reverse of 0002_f_relink_people_contact.
DROP FUNCTION IF EXISTS vault.f_relink_people_contact(bigint, bigint);
