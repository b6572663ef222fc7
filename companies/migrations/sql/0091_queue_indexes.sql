-- companies 0091 (issue 18): one index per company URL kind in the order of the freshness queue
-- (last check first, never-checked first, then company id), over the rows the queue can list
-- (active companies with that URL). The queues page reads each kind as a LIMITed index-ordered
-- branch of a UNION ALL (intake.selectors.company_url_queue_sql) instead of sorting every
-- active company's three URLs to keep one page.
CREATE INDEX IF NOT EXISTS company_site_check_queue_idx ON company.company
    (last_site_checked_at NULLS FIRST, company_id)
    WHERE status = 'active' AND nullif(btrim(website_url), '') IS NOT NULL;
CREATE INDEX IF NOT EXISTS company_linkedin_check_queue_idx ON company.company
    (last_linkedin_checked_at NULLS FIRST, company_id)
    WHERE status = 'active' AND nullif(btrim(linkedin_url), '') IS NOT NULL;
CREATE INDEX IF NOT EXISTS company_news_check_queue_idx ON company.company
    (last_news_checked_at NULLS FIRST, company_id)
    WHERE status = 'active' AND nullif(btrim(news_url), '') IS NOT NULL;
