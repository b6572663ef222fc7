-- 0011_version_stamps reverse: the objects lose their stamps (definitions unchanged).
COMMENT ON VIEW marketing.campaigns IS NULL;
COMMENT ON VIEW marketing.outreach_history IS NULL;
COMMENT ON VIEW marketing.vw_campaign_member IS NULL;
COMMENT ON VIEW marketing.vw_renewal_readiness IS NULL;
