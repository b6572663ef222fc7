-- 0002_people_rules: database rules of the people schema that Django cannot express.
--   * foreign-key ON DELETE actions; Barton ID immutability; updated_at
--   * first/last name parsed from full_name when absent; e-mail trimmed
--   * recording an email_verification result updates contact_verification
--   * history rows for every change of a person, naming the acting user
--   * trigram indexes for duplicate detection and search; the documented queue views (seed 000)
-- Run by the schema owner.

SELECT public.redefine_fk('people.contact', 'company_id', 'SET NULL');
SELECT public.redefine_fk('people.contact_verification', 'contact_id', 'CASCADE');
SELECT public.redefine_fk('people.email_verification', 'contact_id', 'CASCADE');
SELECT public.redefine_fk('people.resolution_queue', 'contact_primary_id', 'CASCADE');
SELECT public.redefine_fk('people.resolution_queue', 'contact_duplicate_id', 'CASCADE');
SELECT public.redefine_fk('people.intelligence', 'contact_id', 'CASCADE');
SELECT public.redefine_fk('people.enrichment', 'contact_id', 'CASCADE');

DROP TRIGGER IF EXISTS contact_updated_at ON people.contact;
CREATE TRIGGER contact_updated_at BEFORE UPDATE ON people.contact
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();
DROP TRIGGER IF EXISTS contact_verification_updated_at ON people.contact_verification;
CREATE TRIGGER contact_verification_updated_at BEFORE UPDATE ON people.contact_verification
    FOR EACH ROW EXECUTE FUNCTION public.trigger_updated_at();
DROP TRIGGER IF EXISTS contact_barton_immutable ON people.contact;
CREATE TRIGGER contact_barton_immutable BEFORE UPDATE OF unique_id ON people.contact
    FOR EACH ROW EXECUTE FUNCTION public.trigger_immutable_column('unique_id');

CREATE OR REPLACE FUNCTION people.trigger_contact_normalize()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_parts text[];
BEGIN
    NEW.full_name := btrim(regexp_replace(NEW.full_name, '\s+', ' ', 'g'));
    NEW.email := nullif(btrim(NEW.email), '');
    IF NEW.first_name IS NULL AND NEW.last_name IS NULL AND NEW.full_name <> '' THEN
        v_parts := regexp_split_to_array(NEW.full_name, ' ');
        NEW.first_name := v_parts[1];
        IF cardinality(v_parts) > 1 THEN
            NEW.last_name := v_parts[cardinality(v_parts)];
        END IF;
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS contact_normalize ON people.contact;
CREATE TRIGGER contact_normalize BEFORE INSERT OR UPDATE OF full_name, first_name, last_name, email
    ON people.contact FOR EACH ROW EXECUTE FUNCTION people.trigger_contact_normalize();

CREATE OR REPLACE FUNCTION people.trigger_email_verification_current()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO people.contact_verification AS cv
        (contact_id, email_status, email_checked_at, email_confidence, email_source_url, provider)
    VALUES (NEW.contact_id, NEW.email_status, NEW.verified_at, NEW.confidence, NEW.source_url,
            NEW.provider)
    ON CONFLICT (contact_id) DO UPDATE
        SET email_status = EXCLUDED.email_status,
            email_checked_at = EXCLUDED.email_checked_at,
            email_confidence = EXCLUDED.email_confidence,
            email_source_url = EXCLUDED.email_source_url,
            provider = EXCLUDED.provider
        WHERE cv.email_checked_at IS NULL OR cv.email_checked_at <= EXCLUDED.email_checked_at;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS email_verification_current ON people.email_verification;
CREATE TRIGGER email_verification_current AFTER INSERT ON people.email_verification
    FOR EACH ROW EXECUTE FUNCTION people.trigger_email_verification_current();

-- SECURITY DEFINER: the app role may read people.history but has no write grant on it.
CREATE OR REPLACE FUNCTION people.trigger_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_keys text[] := public.jsonb_changed_keys(v_old, v_new);
BEGIN
    IF TG_OP = 'UPDATE' AND cardinality(v_keys) = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO people.history (contact_id, table_name, action, changed_fields, old_values,
                                new_values, changed_by, changed_at)
    VALUES ((coalesce(v_new, v_old) ->> 'contact_id')::bigint, TG_TABLE_NAME, lower(TG_OP),
            to_jsonb(v_keys), public.jsonb_pick(v_old, v_keys), public.jsonb_pick(v_new, v_keys),
            public.current_actor(), clock_timestamp());
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION people.trigger_history() FROM PUBLIC;
COMMENT ON FUNCTION people.trigger_history() IS 'v1';

DROP TRIGGER IF EXISTS contact_history ON people.contact;
CREATE TRIGGER contact_history AFTER INSERT OR UPDATE OR DELETE ON people.contact
    FOR EACH ROW EXECUTE FUNCTION people.trigger_history();
DROP TRIGGER IF EXISTS contact_verification_history ON people.contact_verification;
CREATE TRIGGER contact_verification_history
    AFTER INSERT OR UPDATE OR DELETE ON people.contact_verification
    FOR EACH ROW EXECUTE FUNCTION people.trigger_history();

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON people.history FROM outreach_app;
GRANT SELECT ON people.history TO outreach_app;

CREATE INDEX IF NOT EXISTS contact_full_name_trgm_idx
    ON people.contact USING gin (lower(full_name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS contact_email_lower_idx ON people.contact (lower(email));
CREATE INDEX IF NOT EXISTS company_name_trgm_idx
    ON company.company USING gin (lower(company_name) gin_trgm_ops);

CREATE OR REPLACE VIEW people.next_profile_urls_30d AS
SELECT p.contact_id,
       coalesce(nullif(btrim(p.profile_source_url), ''), p.linkedin_url) AS url,
       p.last_profile_checked_at AS last_checked_at
FROM people.contact p
WHERE p.status NOT IN ('merged', 'inactive')
  AND coalesce(nullif(btrim(p.profile_source_url), ''), nullif(btrim(p.linkedin_url), ''))
      IS NOT NULL
  AND (p.last_profile_checked_at IS NULL OR p.last_profile_checked_at < now() - interval '30 days');

CREATE OR REPLACE VIEW people.due_email_recheck_30d AS
SELECT p.contact_id,
       p.full_name,
       p.email,
       coalesce(v.email_status, 'gray') AS email_status,
       v.email_checked_at AS last_checked_at
FROM people.contact p
LEFT JOIN people.contact_verification v ON v.contact_id = p.contact_id
WHERE p.email IS NOT NULL
  AND p.status NOT IN ('merged', 'unsubscribed', 'inactive')
  AND (v.email_checked_at IS NULL OR v.email_checked_at < now() - interval '30 days');

GRANT SELECT ON people.next_profile_urls_30d, people.due_email_recheck_30d TO outreach_app;
