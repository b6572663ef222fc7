-- Reverse of 0002_f_promote_contacts.
DROP FUNCTION IF EXISTS vault.f_promote_contacts(bigint[]);
DROP FUNCTION IF EXISTS vault.f_promotion_work(bigint[]);
