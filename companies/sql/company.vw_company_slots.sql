-- company.vw_company_slots (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW company.vw_company_slots AS
SELECT c.company_id,
       c.company_name,
       s.company_slot_id,
       s.company_slot_unique_id,
       s.role_code,
       s.contact_id,
       p.full_name,
       p.title,
       p.email,
       v.email_status,
       s.is_filled,
       s.filled_at,
       p.status AS contact_status
FROM company.company c
JOIN company.company_slot s ON s.company_id = c.company_id
LEFT JOIN people.contact p ON p.contact_id = s.contact_id
LEFT JOIN people.contact_verification v ON v.contact_id = s.contact_id;

COMMENT ON VIEW company.vw_company_slots IS 'v1';
