-- 0060_raw_load_fields_v2: intake.raw_load_fields v2 reads the whole raw field vocabulary v2
-- (docs: /notes RAW_V2, issue 16) and prefers the normalised values the intake boundary stores
-- under the reserved key "_norm".
--
--   person:  email, email_status, full_name | name, first_name, last_name, title, seniority,
--            department, phone, work_phone, mobile_phone, linkedin_url, city, state, country
--   company: company_name | company, website | company_website | domain, company_linkedin_url,
--            company_phone, employee_count, industry, company_city, company_state,
--            company_country
--
-- Each value: the "_norm" value when the row has one; otherwise a SAFE SQL fallback that gives
-- NULL rather than a wrong value:
--   * a row that carries a "_norm" object but lacks a key there (the library judged the value
--     untrustworthy) gets NULL for the checked values (phones, URLs, domain, headcount);
--   * a row without "_norm" (a raw f_ingest_json caller): phones only when already written as
--     E.164 ("+" and country code; spaces, dots, dashes, brackets ignored); URLs only when
--     http(s) with a dotted host; the domain only from a website that is a plain dotted host
--     name (with or without http(s):// and path) — "N/A", "mailto:", "javascript:",
--     "http://intranet/" give none; headcount only plain digits (thousands commas allowed);
--   * names, title, seniority, department, industry, places: trimmed text as given.
-- The mapped keys and "_norm" are not custom fields, except a raw value the fallback refused
-- (kept in custom_fields so nothing is lost). full_name: "_norm".full_name, then full_name/name,
-- then first+last (raw, then "_norm" parts): a person is named after the e-mail only when the row
-- has no name anywhere.
--
-- The first 19 columns are v1's (same names, types and order: CREATE OR REPLACE VIEW), the rest
-- are appended. security_invoker as v1. Run by the schema owner. Idempotent.

-- The two fallback checks, as small IMMUTABLE functions (inlined by the planner):
CREATE OR REPLACE FUNCTION intake.safe_e164(p_raw text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN x ~ '^\+[1-9][0-9]{6,14}$' THEN x END
    FROM (SELECT regexp_replace(btrim(p_raw), '[[:space:]().-]', '', 'g') AS x) s
$$;
COMMENT ON FUNCTION intake.safe_e164(text) IS 'v1';

CREATE OR REPLACE FUNCTION intake.safe_http_url(p_raw text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN btrim(p_raw) ~* '^https?://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?(:[0-9]+)?([/?#][^[:space:]]*)?$'
                THEN btrim(p_raw) END
$$;
COMMENT ON FUNCTION intake.safe_http_url(text) IS 'v1';
GRANT EXECUTE ON FUNCTION intake.safe_e164(text), intake.safe_http_url(text)
    TO outreach_app, vault_writer;

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
       coalesce(nullif(btrim(n.j ->> 'full_name'), ''), f.name,
                nullif(concat_ws(' ', f.first_name, f.last_name), ''),
                nullif(concat_ws(' ', nullif(btrim(n.j ->> 'first_name'), ''),
                                 nullif(btrim(n.j ->> 'last_name'), '')), '')) AS full_name,
       coalesce(nullif(btrim(n.j ->> 'first_name'), ''), f.first_name) AS first_name,
       coalesce(nullif(btrim(n.j ->> 'last_name'), ''), f.last_name) AS last_name,
       f.title,
       coalesce(nullif(n.j ->> 'phone_e164', ''), f.phone) AS phone,
       v.linkedin_url,
       f.company_name,
       f.website,
       v.web_domain,
       r.raw_data - '_norm'
           - ARRAY['email', 'email_status', 'name', 'full_name', 'first_name', 'last_name',
                   'title', 'seniority', 'department', 'phone', 'city', 'state', 'country',
                   'company', 'company_name', 'industry', 'company_city', 'company_state',
                   'company_country']
           - array_remove(ARRAY[
                 CASE WHEN v.linkedin_url IS NOT NULL OR f.linkedin_url IS NULL
                      THEN 'linkedin_url' END,
                 CASE WHEN v.company_linkedin_url IS NOT NULL OR f.company_linkedin_url IS NULL
                      THEN 'company_linkedin_url' END,
                 CASE WHEN v.work_phone_e164 IS NOT NULL OR f.work_phone IS NULL
                      THEN 'work_phone' END,
                 CASE WHEN v.mobile_phone_e164 IS NOT NULL OR f.mobile_phone IS NULL
                      THEN 'mobile_phone' END,
                 CASE WHEN v.company_phone_e164 IS NOT NULL OR f.company_phone IS NULL
                      THEN 'company_phone' END,
                 CASE WHEN v.employee_count IS NOT NULL OR f.employee_count IS NULL
                      THEN 'employee_count' END,
                 CASE WHEN v.website_url IS NOT NULL OR v.web_domain IS NOT NULL
                           OR f.website IS NULL THEN 'website' END,
                 CASE WHEN v.website_url IS NOT NULL OR v.web_domain IS NOT NULL
                           OR f.website IS NULL THEN 'company_website' END,
                 CASE WHEN v.website_url IS NOT NULL OR v.web_domain IS NOT NULL
                           OR f.website IS NULL THEN 'domain' END], NULL) AS custom_fields,
       -- v2 columns
       n.has_norm,
       f.email_status,
       nullif(btrim(n.j ->> 'middle_name'), '') AS middle_name,
       f.seniority,
       f.department,
       v.work_phone_e164,
       v.mobile_phone_e164,
       v.phone_e164,
       f.city,
       f.state,
       f.country,
       nullif(upper(btrim(n.j ->> 'country_code')), '') AS country_code,
       nullif(concat_ws(', ', f.city, f.state, f.country), '') AS location,
       v.website_url,
       v.company_linkedin_url,
       v.company_phone_e164,
       v.employee_count,
       f.industry,
       f.company_city,
       f.company_state,
       f.company_country
FROM intake.raw_loads r
CROSS JOIN LATERAL (
    SELECT coalesce(jsonb_typeof(r.raw_data -> '_norm') = 'object', false) AS has_norm,
           CASE WHEN jsonb_typeof(r.raw_data -> '_norm') = 'object'
                THEN r.raw_data -> '_norm' ELSE '{}'::jsonb END AS j
) n
CROSS JOIN LATERAL (
    SELECT coalesce(nullif(lower(btrim(n.j ->> 'email')), ''),
                    lower(btrim(r.raw_data ->> 'email'))) AS email,
           nullif(btrim(r.raw_data ->> 'email_status'), '') AS email_status,
           coalesce(nullif(btrim(r.raw_data ->> 'full_name'), ''),
                    nullif(btrim(r.raw_data ->> 'name'), '')) AS name,
           nullif(btrim(r.raw_data ->> 'first_name'), '') AS first_name,
           nullif(btrim(r.raw_data ->> 'last_name'), '') AS last_name,
           nullif(btrim(r.raw_data ->> 'title'), '') AS title,
           nullif(btrim(r.raw_data ->> 'seniority'), '') AS seniority,
           nullif(btrim(r.raw_data ->> 'department'), '') AS department,
           nullif(btrim(r.raw_data ->> 'phone'), '') AS phone,
           nullif(btrim(r.raw_data ->> 'work_phone'), '') AS work_phone,
           nullif(btrim(r.raw_data ->> 'mobile_phone'), '') AS mobile_phone,
           nullif(btrim(r.raw_data ->> 'linkedin_url'), '') AS linkedin_url,
           nullif(btrim(r.raw_data ->> 'city'), '') AS city,
           nullif(btrim(r.raw_data ->> 'state'), '') AS state,
           nullif(btrim(r.raw_data ->> 'country'), '') AS country,
           coalesce(nullif(btrim(r.raw_data ->> 'company_name'), ''),
                    nullif(btrim(r.raw_data ->> 'company'), '')) AS company_name,
           coalesce(nullif(btrim(r.raw_data ->> 'website'), ''),
                    nullif(btrim(r.raw_data ->> 'company_website'), ''),
                    nullif(btrim(r.raw_data ->> 'domain'), '')) AS website,
           nullif(btrim(r.raw_data ->> 'company_linkedin_url'), '') AS company_linkedin_url,
           nullif(btrim(r.raw_data ->> 'company_phone'), '') AS company_phone,
           nullif(btrim(r.raw_data ->> 'employee_count'), '') AS employee_count,
           nullif(btrim(r.raw_data ->> 'industry'), '') AS industry,
           nullif(btrim(r.raw_data ->> 'company_city'), '') AS company_city,
           nullif(btrim(r.raw_data ->> 'company_state'), '') AS company_state,
           nullif(btrim(r.raw_data ->> 'company_country'), '') AS company_country
) f
CROSS JOIN LATERAL (
    SELECT CASE WHEN n.has_norm THEN nullif(n.j ->> 'work_phone_e164', '')
                ELSE intake.safe_e164(f.work_phone) END AS work_phone_e164,
           CASE WHEN n.has_norm THEN nullif(n.j ->> 'mobile_phone_e164', '')
                ELSE intake.safe_e164(f.mobile_phone) END AS mobile_phone_e164,
           CASE WHEN n.has_norm THEN nullif(n.j ->> 'phone_e164', '')
                ELSE intake.safe_e164(f.phone) END AS phone_e164,
           CASE WHEN n.has_norm THEN nullif(n.j ->> 'company_phone_e164', '')
                ELSE intake.safe_e164(f.company_phone) END AS company_phone_e164,
           CASE WHEN n.has_norm THEN nullif(n.j ->> 'linkedin_url', '')
                ELSE intake.safe_http_url(f.linkedin_url) END AS linkedin_url,
           CASE WHEN n.has_norm THEN nullif(n.j ->> 'company_linkedin_url', '')
                ELSE intake.safe_http_url(f.company_linkedin_url) END AS company_linkedin_url,
           CASE WHEN n.has_norm THEN nullif(n.j ->> 'website_url', '')
                ELSE intake.safe_http_url(f.website) END AS website_url,
           CASE WHEN n.has_norm THEN nullif(lower(btrim(n.j ->> 'domain')), '')
                WHEN f.website ~* '^(https?://)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?(:[0-9]+)?([/?#].*)?$'
                THEN public.normalize_domain(f.website) END AS web_domain,
           CASE WHEN n.has_norm
                THEN CASE WHEN n.j ->> 'employee_count' ~ '^[0-9]{1,9}$'
                          THEN (n.j ->> 'employee_count')::integer END
                WHEN f.employee_count ~ '^([0-9]{1,9}|[0-9]{1,3}(,[0-9]{3}){1,2})$'
                THEN replace(f.employee_count, ',', '')::integer END AS employee_count
) v;
COMMENT ON VIEW intake.raw_load_fields IS 'v2';
GRANT SELECT ON intake.raw_load_fields TO outreach_app, vault_writer;
