-- 0002_intake_support: the plain (non-definer) objects the intake functions build on.
--   * intake.free_mail_domain: free-mail domains (data, not code); an address at one of them never
--     names a company. domain_pattern is a LIKE pattern ('yahoo.%' matches yahoo.co.uk).
--   * intake.raw_load_fields: one row per raw load with the accepted raw field names resolved.
--     It is the single definition of the raw JSON vocabulary, read by vault.f_promote_contacts:
--       email                                   the address (trimmed, lower-cased)
--       name | full_name | first_name+last_name the person's name, in that order of preference
--       title, phone, linkedin_url              as given (blank = absent)
--       company | company_name                  the employer's name
--       website | company_website | domain      the employer's site; its host is the company key
--     Every other key is kept in vault.contacts.custom_fields.
--     security_invoker: readers need SELECT on intake.raw_loads themselves (RLS applies to them).
--   * intake.latest_100: the latest 100 raw loads, for monitoring (seed 001 roles).
--   * an index on the normalised raw email, used by the 30-day duplicate check of f_ingest_json.
-- Run by the schema owner. Idempotent.

CREATE TABLE IF NOT EXISTS intake.free_mail_domain (
    domain_pattern text PRIMARY KEY CHECK (domain_pattern = lower(btrim(domain_pattern))),
    note text,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE intake.free_mail_domain IS
    'Free-mail domains (LIKE patterns): an address here never names a company. v1';

INSERT INTO intake.free_mail_domain (domain_pattern, note) VALUES
    ('gmail.com', 'Google'), ('googlemail.com', 'Google'),
    ('yahoo.%', 'Yahoo, every country'), ('ymail.com', 'Yahoo'),
    ('hotmail.%', 'Microsoft, every country'), ('outlook.com', 'Microsoft'),
    ('live.com', 'Microsoft'), ('msn.com', 'Microsoft'),
    ('icloud.com', 'Apple'), ('me.com', 'Apple'), ('mac.com', 'Apple'),
    ('aol.com', 'AOL'), ('proton.me', 'Proton'), ('protonmail.com', 'Proton'),
    ('gmx.%', 'GMX, every country')
ON CONFLICT (domain_pattern) DO NOTHING;

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON intake.free_mail_domain FROM outreach_app;
GRANT SELECT ON intake.free_mail_domain TO outreach_app, vault_writer, intake_writer;

CREATE INDEX IF NOT EXISTS raw_loads_email_norm_idx
    ON intake.raw_loads ((lower(btrim(raw_data ->> 'email'))), created_at);

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

CREATE OR REPLACE VIEW intake.latest_100 AS
SELECT r.load_id,
       r.batch_id,
       r.source,
       r.raw_data ->> 'email' AS email,
       r.status,
       r.created_at
FROM intake.raw_loads r
ORDER BY r.created_at DESC, r.load_id DESC
LIMIT 100;
COMMENT ON VIEW intake.latest_100 IS 'v1';
GRANT SELECT ON intake.latest_100 TO mcp_ingest, mcp_promote, outreach_app;
