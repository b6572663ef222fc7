-- 0003_company_rules: what Django cannot express for the company schema.
--   * foreign-key ON DELETE actions in the database (psql users get them too)
--   * Barton ID immutability, updated_at, domain derivation, slot filled_at and slot guards
--   * history rows for every change of a company or slot, naming the acting user
--   * the title → role classifier (rules kept as data; one source of truth for SQL and Python)
--   * the documented views (seed 000) with their exact column names
-- Run by the schema owner. History trigger functions are SECURITY DEFINER so the app role can
-- read history but never write it directly.

-- Re-create the single-column foreign key of p_table.p_column with the given ON DELETE action.
CREATE OR REPLACE FUNCTION public.redefine_fk(p_table regclass, p_column text, p_on_delete text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    IF p_on_delete NOT IN ('CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION') THEN
        RAISE EXCEPTION 'unsupported ON DELETE action %', p_on_delete;
    END IF;
    FOR r IN
        SELECT con.conname, con.confrelid::regclass AS ref_table, ra.attname AS ref_column
        FROM pg_constraint con
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
        JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = con.confkey[1]
        WHERE con.conrelid = p_table AND con.contype = 'f'
          AND array_length(con.conkey, 1) = 1 AND a.attname = p_column
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', p_table, r.conname);
        EXECUTE format(
            'ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %s (%I) ON DELETE %s '
            'DEFERRABLE INITIALLY DEFERRED',
            p_table, r.conname, p_column, r.ref_table, r.ref_column, p_on_delete);
    END LOOP;
END
$$;
COMMENT ON FUNCTION public.redefine_fk(regclass, text, text) IS 'v1';

SELECT public.redefine_fk('company.company_slot', 'company_id', 'CASCADE');
SELECT public.redefine_fk('company.company_slot', 'contact_id', 'SET NULL');
SELECT public.redefine_fk('company.intelligence', 'company_id', 'CASCADE');

-- Lower-case host of a URL or domain, without scheme, www., port or path.
CREATE OR REPLACE FUNCTION public.normalize_domain(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT nullif(
        regexp_replace(
            regexp_replace(lower(btrim(p_value)), '^[a-z][a-z0-9+.-]*://', ''),
            '^www\.|[/:?#].*$', '', 'g'),
        '')
$$;
COMMENT ON FUNCTION public.normalize_domain(text) IS 'v1';

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

DROP TRIGGER IF EXISTS company_domain ON company.company;
CREATE TRIGGER company_domain BEFORE INSERT OR UPDATE OF domain, website_url ON company.company
    FOR EACH ROW EXECUTE FUNCTION company.trigger_company_domain();

DROP TRIGGER IF EXISTS company_updated_at ON company.company;
CREATE TRIGGER company_updated_at BEFORE UPDATE ON company.company
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();
DROP TRIGGER IF EXISTS company_slot_updated_at ON company.company_slot;
CREATE TRIGGER company_slot_updated_at BEFORE UPDATE ON company.company_slot
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();

DROP TRIGGER IF EXISTS company_barton_immutable ON company.company;
CREATE TRIGGER company_barton_immutable BEFORE UPDATE OF company_unique_id ON company.company
    FOR EACH ROW EXECUTE FUNCTION public.trigger_immutable_column('company_unique_id');
DROP TRIGGER IF EXISTS company_slot_barton_immutable ON company.company_slot;
CREATE TRIGGER company_slot_barton_immutable
    BEFORE UPDATE OF company_slot_unique_id ON company.company_slot
    FOR EACH ROW EXECUTE FUNCTION public.trigger_immutable_column('company_slot_unique_id');

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

DROP TRIGGER IF EXISTS company_slot_fill ON company.company_slot;
CREATE TRIGGER company_slot_fill BEFORE INSERT OR UPDATE OF contact_id ON company.company_slot
    FOR EACH ROW EXECUTE FUNCTION company.trigger_slot_fill();

-- Keys whose values differ between two row images, ignoring bookkeeping columns.
CREATE OR REPLACE FUNCTION public.jsonb_changed_keys(p_old jsonb, p_new jsonb)
RETURNS text[]
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(k ORDER BY k), '{}')
    FROM (SELECT jsonb_object_keys(coalesce(p_new, p_old)) AS k) keys
    WHERE k NOT IN ('updated_at', 'created_at', 'is_filled')
      AND (p_old -> k) IS DISTINCT FROM (p_new -> k)
$$;
COMMENT ON FUNCTION public.jsonb_changed_keys(jsonb, jsonb) IS 'v1';

CREATE OR REPLACE FUNCTION public.jsonb_pick(p_row jsonb, p_keys text[])
RETURNS jsonb
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(jsonb_object_agg(k, p_row -> k), '{}'::jsonb)
    FROM unnest(p_keys) AS k
    WHERE p_row IS NOT NULL
$$;
COMMENT ON FUNCTION public.jsonb_pick(jsonb, text[]) IS 'v1';

-- SECURITY DEFINER: the app role may read company.history but has no write grant on it.
CREATE OR REPLACE FUNCTION company.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_keys text[] := public.jsonb_changed_keys(v_old, v_new);
    v_row jsonb := coalesce(v_new, v_old);
BEGIN
    IF TG_OP = 'UPDATE' AND cardinality(v_keys) = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO company.history (company_id, company_slot_id, table_name, action,
                                 changed_fields, old_values, new_values, changed_by, changed_at)
    VALUES ((v_row ->> 'company_id')::bigint,
            (v_row ->> 'company_slot_id')::bigint,
            TG_TABLE_NAME, lower(TG_OP), to_jsonb(v_keys),
            public.jsonb_pick(v_old, v_keys), public.jsonb_pick(v_new, v_keys),
            public.current_actor(), clock_timestamp());
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION company.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION company.trigger_history() IS 'v1';

DROP TRIGGER IF EXISTS company_history ON company.company;
CREATE TRIGGER company_history AFTER INSERT OR UPDATE OR DELETE ON company.company
    FOR EACH ROW EXECUTE FUNCTION company.trigger_history();
DROP TRIGGER IF EXISTS company_slot_history ON company.company_slot;
CREATE TRIGGER company_slot_history AFTER INSERT OR UPDATE OR DELETE ON company.company_slot
    FOR EACH ROW EXECUTE FUNCTION company.trigger_history();

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON company.history FROM outreach_app;
GRANT SELECT ON company.history TO outreach_app;

-- Title → role classifier. Rules are data: include rules propose a role with a weight (the best
-- one wins), exclude rules veto any role, modifier rules scale the weight.
CREATE TABLE IF NOT EXISTS company.title_rule (
    rule_id integer PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('include', 'exclude', 'modifier')),
    role_code text CHECK (role_code IN ('CEO', 'CFO', 'HR')),
    pattern text NOT NULL,
    weight numeric(3, 2) NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 1),
    label text NOT NULL,
    CHECK ((kind = 'include') = (role_code IS NOT NULL))
);
GRANT SELECT ON company.title_rule TO outreach_app, vault_writer, intake_writer;

INSERT INTO company.title_rule (rule_id, kind, role_code, pattern, weight, label) VALUES
    (1,  'exclude', NULL, '\massistant\M|\massistent\M|\mpa to\M|\mea to\M', 1, 'assistant'),
    (2,  'exclude', NULL, '\mintern(ship)?\M|\mtrainee\M|\mstudent\M', 1, 'intern or trainee'),
    (3,  'exclude', NULL, '\mformer\M|\mex-|\mretired\M|\mpast\M', 1, 'former role'),
    (4,  'exclude', NULL, '\moffice of the\M|\mto the (ceo|cfo|president|chro)\M', 1,
        'supports an executive'),
    (5,  'exclude', NULL, '\mcoordinator\M|\mclerk\M|\mspecialist\M|\mgeneralist\M', 1,
        'individual contributor'),
    (6,  'exclude', NULL, '\madvisor\M|\madviser\M|\mconsultant\M|\mboard member\M', 1,
        'outside advisor'),
    (10, 'include', 'CEO', '\mceo\M', 1.00, 'CEO'),
    (11, 'include', 'CEO', '\mchief executive\M', 1.00, 'chief executive'),
    (12, 'include', 'CEO', '^(?!.*\mvice[- ]?president).*\mpresident\M', 0.85, 'president'),
    (13, 'include', 'CEO', '\m(co-?)?founder\M', 0.80, 'founder'),
    (14, 'include', 'CEO', '\mmanaging director\M|\mmanaging partner\M', 0.80, 'managing director'),
    (15, 'include', 'CEO', '\mexecutive director\M', 0.80, 'executive director'),
    (16, 'include', 'CEO', '\mowner\M|\mproprietor\M', 0.75, 'owner'),
    (17, 'include', 'CEO', '\mgeneral manager\M', 0.60, 'general manager'),
    (18, 'include', 'CEO', '\mprincipal\M', 0.55, 'principal'),
    (30, 'include', 'CFO', '\mcfo\M', 1.00, 'CFO'),
    (31, 'include', 'CFO', '\mchief financ', 1.00, 'chief financial'),
    (32, 'include', 'CFO', '\m(vp|svp|evp|vice[- ]president)\M.*\m(finance|financial)\M', 0.80,
        'VP finance'),
    (33, 'include', 'CFO', '\m(head|director) of finance\M|\mfinance director\M|\mfinancial director\M',
        0.80, 'finance director'),
    (34, 'include', 'CFO', '\mcontroller\M|\mcomptroller\M', 0.70, 'controller'),
    (35, 'include', 'CFO', '\mtreasurer\M', 0.70, 'treasurer'),
    (36, 'include', 'CFO', '\mfinance manager\M|\maccounting manager\M|\mhead of accounting\M',
        0.50, 'finance manager'),
    (50, 'include', 'HR', '\mchro\M', 1.00, 'CHRO'),
    (51, 'include', 'HR', '\mchief (people|human resources?|talent|hr)\M', 1.00, 'chief people officer'),
    (52, 'include', 'HR',
        '\m(vp|svp|evp|vice[- ]president)\M.*\m(people|human resources?|hr|talent|benefits)\M', 0.85,
        'VP people'),
    (53, 'include', 'HR',
        '\m(head|director) of (people|hr|human resources?|talent|total rewards|benefits)\M', 0.80,
        'head of people'),
    (54, 'include', 'HR', '\m(hr|human resources?|people) director\M', 0.80, 'HR director'),
    (55, 'include', 'HR', '\mbenefits (manager|director|lead)\M|\mtotal rewards\M', 0.75,
        'benefits lead'),
    (56, 'include', 'HR', '\m(hr|human resources?) manager\M|\mpeople operations\M|\mpeople ops\M',
        0.70, 'HR manager'),
    (57, 'include', 'HR', '\mhr business partner\M|\mhrbp\M', 0.50, 'HR business partner'),
    (58, 'include', 'HR', '\mhr\M|\mhuman resources?\M', 0.45, 'HR'),
    (59, 'include', 'HR', '\mrecruit(er|ing)\M|\mtalent acquisition\M', 0.30, 'recruiting'),
    (80, 'modifier', NULL, '\m(interim|acting)\M', 0.90, 'interim'),
    (81, 'modifier', NULL, '\m(deputy|associate|assistant)\M', 0.60, 'deputy'),
    (82, 'modifier', NULL, '\m(senior|sr\.?)\M', 1.00, 'senior')
ON CONFLICT (rule_id) DO NOTHING;

CREATE OR REPLACE FUNCTION company.classify_title(p_title text)
RETURNS TABLE (role_code text, confidence numeric, reason text)
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH t AS (SELECT lower(btrim(coalesce(p_title, ''))) AS title),
    ex AS (
        SELECT r.label FROM company.title_rule r, t
        WHERE r.kind = 'exclude' AND t.title ~ r.pattern ORDER BY r.rule_id LIMIT 1),
    inc AS (
        SELECT r.role_code, r.weight, r.label FROM company.title_rule r, t
        WHERE r.kind = 'include' AND t.title ~ r.pattern
        ORDER BY r.weight DESC, r.rule_id LIMIT 1),
    md AS (
        SELECT coalesce(exp(sum(ln(r.weight))), 1) AS factor FROM company.title_rule r, t
        WHERE r.kind = 'modifier' AND t.title ~ r.pattern)
    SELECT
        CASE WHEN ex.label IS NULL THEN inc.role_code END,
        CASE WHEN ex.label IS NULL AND inc.role_code IS NOT NULL
             THEN round(inc.weight * md.factor, 2) ELSE 0 END,
        CASE WHEN t.title = '' THEN 'no title'
             WHEN ex.label IS NOT NULL THEN format('title %L → no role (%s)', p_title, ex.label)
             WHEN inc.role_code IS NULL THEN format('title %L → no role', p_title)
             ELSE format('title %L → %s (%s)', p_title, inc.role_code, inc.label) END
    FROM t CROSS JOIN md LEFT JOIN ex ON true LEFT JOIN inc ON true
$$;
COMMENT ON FUNCTION company.classify_title(text) IS 'v1';

-- Renewal dates. The next renewal is the first day of renewal_month this year when that day is
-- today or later, otherwise next year; the campaign window opens renewal_notice_window_days
-- before it.
CREATE OR REPLACE FUNCTION company.next_renewal_date(p_month integer, p_today date DEFAULT current_date)
RETURNS date
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN p_month IS NULL THEN NULL
        WHEN make_date(extract(year FROM p_today)::int, p_month, 1) >= p_today
            THEN make_date(extract(year FROM p_today)::int, p_month, 1)
        ELSE make_date(extract(year FROM p_today)::int + 1, p_month, 1)
    END
$$;
COMMENT ON FUNCTION company.next_renewal_date(integer, date) IS 'v1';

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
    SELECT company.next_renewal_date(c.renewal_month, current_date) AS next_renewal_date
) r
WHERE c.renewal_month IS NOT NULL;

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

GRANT SELECT ON company.vw_next_renewal, company.vw_company_slots, company.vw_due_renewals_ready,
    company.next_company_urls_30d TO outreach_app;
