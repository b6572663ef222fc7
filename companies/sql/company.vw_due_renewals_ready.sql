-- company.vw_due_renewals_ready (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW company.vw_due_renewals_ready AS
SELECT nr.company_id,
       nr.company_name,
       nr.renewal_month,
       nr.next_renewal_date,
       nr.campaign_window_start,
       nr.days_until_renewal,
       true AS has_green_contact,
       g.green_contact_count,
       g.filled_slot_count
FROM company.vw_next_renewal nr
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE v.email_status = 'green' AND p.status = 'active')
               AS green_contact_count,
           count(s.contact_id) AS filled_slot_count
    FROM company.company_slot s
    LEFT JOIN people.contact p ON p.contact_id = s.contact_id
    LEFT JOIN people.contact_verification v ON v.contact_id = s.contact_id
    WHERE s.company_id = nr.company_id
) g
WHERE nr.in_window AND nr.status = 'active' AND g.green_contact_count > 0;

COMMENT ON VIEW company.vw_due_renewals_ready IS 'v1';
