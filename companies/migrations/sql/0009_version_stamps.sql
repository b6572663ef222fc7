-- 0009_version_stamps: version stamps for the companies objects created before the stamping rule
-- (issue 15). Each definition below is its live file verbatim (<app>/sql/<object>.sql), so
-- the only catalog change is the COMMENT ... IS 'vN' stamp, N counting the object's
-- snapshots in the migrations so far. Run by the schema owner; nothing here is SECURITY DEFINER
-- beyond what the definitions already were.


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


-- company.trigger_company_domain (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

CREATE OR REPLACE FUNCTION company.trigger_company_domain()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.domain IS NOT DISTINCT FROM OLD.domain
       AND NEW.website_url IS DISTINCT FROM OLD.website_url
       AND OLD.domain IS NOT DISTINCT FROM public.normalize_domain(OLD.website_url) THEN
        NEW.domain := NULL;  -- the domain was derived from the old website: derive it again
    END IF;
    NEW.domain := coalesce(public.normalize_domain(NEW.domain),
                           public.normalize_domain(NEW.website_url));
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION company.trigger_company_domain() IS 'v1';


-- company.trigger_slot_fill (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- filled_at follows contact_id whoever writes it; a slot cannot take a merged person or belong
-- to an archived company when it is filled.
CREATE OR REPLACE FUNCTION company.trigger_slot_fill()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.contact_id IS NULL THEN
        NEW.filled_at := NULL;
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' OR NEW.contact_id IS DISTINCT FROM OLD.contact_id THEN
        IF EXISTS (SELECT 1 FROM people.contact p
                   WHERE p.contact_id = NEW.contact_id AND p.status = 'merged') THEN
            RAISE EXCEPTION 'person % was merged into another record and cannot fill a slot',
                NEW.contact_id USING ERRCODE = '23514';
        END IF;
        IF EXISTS (SELECT 1 FROM company.company c
                   WHERE c.company_id = NEW.company_id AND c.status = 'archived') THEN
            RAISE EXCEPTION 'company % is archived; its slots cannot be filled', NEW.company_id
                USING ERRCODE = '23514';
        END IF;
        NEW.filled_at := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION company.trigger_slot_fill() IS 'v1';


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


-- company.vw_next_renewal (view, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Same columns and results as 0003; the date is the stored one when it is not stale.
CREATE OR REPLACE VIEW company.vw_next_renewal AS
SELECT c.company_id,
       c.company_name,
       c.renewal_month,
       c.renewal_notice_window_days,
       r.next_renewal_date,
       r.next_renewal_date - c.renewal_notice_window_days AS campaign_window_start,
       r.next_renewal_date - current_date AS days_until_renewal,
       (r.next_renewal_date - c.renewal_notice_window_days) <= current_date AS in_window,
       c.status
FROM company.company c
CROSS JOIN LATERAL (
    SELECT CASE WHEN c.next_renewal_date >= current_date THEN c.next_renewal_date
                ELSE company.next_renewal_date(c.renewal_month, current_date)
           END AS next_renewal_date
) r
WHERE c.renewal_month IS NOT NULL;

COMMENT ON VIEW company.vw_next_renewal IS 'v2';
