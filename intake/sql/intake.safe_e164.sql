-- intake.safe_e164 (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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

GRANT EXECUTE ON FUNCTION intake.safe_e164(text), intake.safe_http_url(text)
    TO outreach_app, vault_writer;
