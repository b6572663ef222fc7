-- company.next_company_urls_30d (view, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE VIEW company.next_company_urls_30d AS
SELECT c.company_id, u.url_type, u.url, u.last_checked_at
FROM company.company c
CROSS JOIN LATERAL (VALUES
    ('website', c.website_url, c.last_site_checked_at),
    ('linkedin', c.linkedin_url, c.last_linkedin_checked_at),
    ('news', c.news_url, c.last_news_checked_at)
) AS u (url_type, url, last_checked_at)
WHERE c.status = 'active'
  AND nullif(btrim(u.url), '') IS NOT NULL
  AND (u.last_checked_at IS NULL OR u.last_checked_at < now() - interval '30 days');

COMMENT ON VIEW company.next_company_urls_30d IS 'v1';
