-- Reverse of 0060_raw_load_fields_v2: v1 of the view (as in 0002_intake_support.sql; DROP first,
-- since v2 has more columns) and no fallback helpers.
DROP VIEW IF EXISTS intake.raw_load_fields;
CREATE OR REPLACE VIEW intake.raw_load_fields WITH (security_invoker = true) AS
SELECT r.load_id,
       r.batch_id,
       r.source,
       r.status,
       r.created_at,
       f.email,
       f.email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AS email_valid,
       lower(split_part(f.email, '@', 2)) AS email_domain,
       EXISTS (SELECT 1 FROM intake.free_mail_domain fm
               WHERE lower(split_part(f.email, '@', 2)) LIKE fm.domain_pattern) AS is_free_mail,
       coalesce(f.name, nullif(concat_ws(' ', f.first_name, f.last_name), '')) AS full_name,
       f.first_name,
       f.last_name,
       f.title,
       f.phone,
       f.linkedin_url,
       f.company_name,
       f.website,
       public.normalize_domain(f.website) AS web_domain,
       r.raw_data - ARRAY['email', 'name', 'full_name', 'first_name', 'last_name', 'title',
                          'phone', 'company', 'company_name', 'linkedin_url'] AS custom_fields
FROM intake.raw_loads r
CROSS JOIN LATERAL (
    SELECT lower(btrim(r.raw_data ->> 'email')) AS email,
           coalesce(nullif(btrim(r.raw_data ->> 'name'), ''),
                    nullif(btrim(r.raw_data ->> 'full_name'), '')) AS name,
           nullif(btrim(r.raw_data ->> 'first_name'), '') AS first_name,
           nullif(btrim(r.raw_data ->> 'last_name'), '') AS last_name,
           nullif(btrim(r.raw_data ->> 'title'), '') AS title,
           nullif(btrim(r.raw_data ->> 'phone'), '') AS phone,
           nullif(btrim(r.raw_data ->> 'linkedin_url'), '') AS linkedin_url,
           coalesce(nullif(btrim(r.raw_data ->> 'company'), ''),
                    nullif(btrim(r.raw_data ->> 'company_name'), '')) AS company_name,
           coalesce(nullif(btrim(r.raw_data ->> 'website'), ''),
                    nullif(btrim(r.raw_data ->> 'company_website'), ''),
                    nullif(btrim(r.raw_data ->> 'domain'), '')) AS website
) f;
COMMENT ON VIEW intake.raw_load_fields IS 'v1';
GRANT SELECT ON intake.raw_load_fields TO outreach_app, vault_writer;
DROP FUNCTION IF EXISTS intake.safe_e164(text);
DROP FUNCTION IF EXISTS intake.safe_http_url(text);
