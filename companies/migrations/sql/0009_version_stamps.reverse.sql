-- 0009_version_stamps reverse: the objects lose their stamps (definitions unchanged).
COMMENT ON VIEW company.next_company_urls_30d IS NULL;
COMMENT ON FUNCTION company.trigger_company_domain() IS NULL;
COMMENT ON FUNCTION company.trigger_slot_fill() IS NULL;
COMMENT ON VIEW company.vw_company_slots IS NULL;
COMMENT ON VIEW company.vw_due_renewals_ready IS NULL;
COMMENT ON VIEW company.vw_next_renewal IS NULL;
