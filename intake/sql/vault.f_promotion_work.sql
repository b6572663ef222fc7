-- vault.f_promotion_work (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0002_f_promote_contacts: vault.f_promote_contacts(p_load_ids bigint[] DEFAULT NULL)
--   → TABLE(promoted_count int, updated_count int, failed_count int, message text)
--
-- Promotes pending raw loads (all of them when p_load_ids is NULL) in one transaction:
--   1. locks the loads (FOR UPDATE, in load_id order); loads that stopped being pending while
--      waiting are skipped;
--   2. marks loads whose email fails the format check 'failed' (metadata.failure_reason);
--   3. upserts vault.contacts by lower(email) (emails are stored trimmed and lower-cased, so the
--      unique index on email is the lower(email) key); an existing contact keeps a value wherever
--      the new load's is empty; no-op updates are skipped (WHERE ... IS DISTINCT FROM), so
--      promoted_count = contacts inserted, updated_count = contacts actually changed;
--   4. marks the loads 'promoted' (promoted_at, metadata.vault_contact_id);
--   5. carries every contact into the golden records:
--        company: by the host of website/company_website/domain, else (for an address that is
--          not free mail, see intake.free_mail_domain) by the email's domain, else by company
--          name (case-insensitive); a new company is named after the load's company, else its
--          domain, and gets its three slots (CEO, CFO, HR);
--        person: the live people.contact the vault contact is linked to, else the live one with
--          the same lower(email), else a new one (plus a 'gray' contact_verification row);
--          vault.contacts.people_contact_id is set;
--        slot: company.classify_title(title); a role with confidence >= 0.7 fills that company's
--          slot only if it is empty (several candidates for one slot: highest confidence, then
--          lowest load_id; a person already in one of the company's slots is not placed twice;
--          archived companies' slots are left alone);
--      with marketing.pipeline_events rows (company_created, contact_created, slot_filled);
--   6. writes one intake.audit_log row (action 'batch_promoted'); new companies carry its id in
--      promotion_audit_log_id.
-- Raw field names accepted: see intake.raw_load_fields (0002_intake_support.sql).
-- Set-based statements, no row loop, no EXCEPTION block (no subtransactions): any error rolls
-- the whole call back.
--
-- Who may call: mcp_promote (and its members, e.g. outreach_app).
-- Why SECURITY DEFINER: vault.contacts and intake.raw_loads accept writes only from the owner
-- vault_writer (RLS + grants). search_path is pinned and every name schema-qualified.

-- Per-email working set of a promotion (invoker rights; called only by f_promote_contacts).
-- Several loads of one email in one call are merged: the latest non-empty value wins.
CREATE OR REPLACE FUNCTION vault.f_promotion_work(p_load_ids bigint[])
RETURNS TABLE (
    email text,
    first_load_id bigint,
    last_load_id bigint,
    source text,
    full_name text,
    first_name text,
    last_name text,
    title text,
    phone text,
    linkedin_url text,
    company_name text,
    website text,
    custom_fields jsonb,
    company_key_type text,
    company_key text,
    company_id bigint,
    person_id bigint
)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH agg AS (
        SELECT f.email,
               pg_catalog.min(f.load_id) AS first_load_id,
               pg_catalog.max(f.load_id) AS last_load_id,
               (pg_catalog.array_agg(f.source ORDER BY f.load_id))[1] AS source,
               (pg_catalog.array_agg(f.full_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.full_name IS NOT NULL))[1] AS full_name,
               (pg_catalog.array_agg(f.first_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.first_name IS NOT NULL))[1] AS first_name,
               (pg_catalog.array_agg(f.last_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.last_name IS NOT NULL))[1] AS last_name,
               (pg_catalog.array_agg(f.title ORDER BY f.load_id DESC)
                    FILTER (WHERE f.title IS NOT NULL))[1] AS title,
               (pg_catalog.array_agg(f.phone ORDER BY f.load_id DESC)
                    FILTER (WHERE f.phone IS NOT NULL))[1] AS phone,
               (pg_catalog.array_agg(f.linkedin_url ORDER BY f.load_id DESC)
                    FILTER (WHERE f.linkedin_url IS NOT NULL))[1] AS linkedin_url,
               (pg_catalog.array_agg(f.company_name ORDER BY f.load_id DESC)
                    FILTER (WHERE f.company_name IS NOT NULL))[1] AS company_name,
               (pg_catalog.array_agg(f.website ORDER BY f.load_id DESC)
                    FILTER (WHERE f.web_domain IS NOT NULL))[1] AS website,
               (pg_catalog.array_agg(f.web_domain ORDER BY f.load_id DESC)
                    FILTER (WHERE f.web_domain IS NOT NULL))[1] AS web_domain,
               (pg_catalog.array_agg(f.custom_fields ORDER BY f.load_id DESC))[1] AS custom_fields,
               pg_catalog.bool_or(f.is_free_mail) AS is_free_mail,
               public.normalize_domain(pg_catalog.min(f.email_domain)) AS email_domain
        FROM intake.raw_load_fields f
        WHERE f.load_id = ANY (p_load_ids) AND f.email_valid
        GROUP BY f.email
    ),
    keyed AS (
        SELECT a.*,
               CASE WHEN a.web_domain IS NOT NULL OR NOT a.is_free_mail THEN 'domain'
                    WHEN a.company_name IS NOT NULL THEN 'name' END AS company_key_type,
               CASE WHEN a.web_domain IS NOT NULL THEN a.web_domain
                    WHEN NOT a.is_free_mail THEN a.email_domain
                    ELSE pg_catalog.lower(a.company_name) END AS company_key
        FROM agg a
    )
    SELECT k.email, k.first_load_id, k.last_load_id, k.source, k.full_name, k.first_name,
           k.last_name, k.title, k.phone, k.linkedin_url, k.company_name, k.website,
           k.custom_fields, k.company_key_type, k.company_key,
           CASE k.company_key_type
               WHEN 'domain' THEN (SELECT c.company_id FROM company.company c
                                   WHERE c.domain = k.company_key)
               WHEN 'name' THEN (SELECT pg_catalog.min(c.company_id) FROM company.company c
                                 WHERE pg_catalog.lower(c.company_name) = k.company_key)
           END AS company_id,
           coalesce(
               (SELECT p.contact_id FROM vault.contacts v
                JOIN people.contact p ON p.contact_id = v.people_contact_id
                WHERE v.email = k.email AND p.status <> 'merged'),
               (SELECT pg_catalog.min(p.contact_id) FROM people.contact p
                WHERE pg_catalog.lower(p.email) = k.email AND p.status <> 'merged')
           ) AS person_id
    FROM keyed k
$$;

COMMENT ON FUNCTION vault.f_promotion_work(bigint[]) IS 'v1';

REVOKE EXECUTE ON FUNCTION vault.f_promotion_work(bigint[]) FROM PUBLIC;

-- ALTER OWNER needs it unless run by a superuser
ALTER FUNCTION vault.f_promotion_work(bigint[]) OWNER TO vault_writer;
