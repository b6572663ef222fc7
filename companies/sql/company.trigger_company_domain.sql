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
