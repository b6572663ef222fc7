-- Reverse of 0091_queue_indexes.
DROP INDEX IF EXISTS company.company_site_check_queue_idx;
DROP INDEX IF EXISTS company.company_linkedin_check_queue_idx;
DROP INDEX IF EXISTS company.company_news_check_queue_idx;
