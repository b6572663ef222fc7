-- people.normalize_email (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0003_duplicate_detection: finding duplicate people in SQL (issue 5, WORKFLOWS.md §2).
--   * normalisers people.normalize_email / normalize_linkedin / normalize_phone / normalize_name,
--     people.email_domain, people.is_personal_email_domain, people.name_suffix (IMMUTABLE, so
--     they can back expression indexes)
--   * people.nickname: nickname → canonical first name, kept as data
--   * partial expression indexes on live (non-merged) people so every blocking join is indexed
--   * people.detect_duplicates(): the set-based detector; inserts new candidate pairs into
--     people.resolution_queue with conflict_type, score, evidence and a typed recommendation.
--     A pair already in the queue (pending, judged not_duplicate, merged, deferred) is never
--     proposed again: ON CONFLICT on the unordered-pair unique index.
-- Run by the schema owner. The detector is SECURITY INVOKER: the app role calls it with its own
-- grants (SELECT people.contact, INSERT people.resolution_queue).

CREATE OR REPLACE FUNCTION people.normalize_email(p_email text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := lower(btrim(p_email));
    v_local text;
    v_domain text;
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    IF strpos(v, '@') = 0 THEN
        RETURN v;
    END IF;
    v_local := split_part(v, '@', 1);
    v_domain := substr(v, length(v_local) + 2);
    v_local := split_part(v_local, '+', 1);
    IF v_domain = 'googlemail.com' THEN
        v_domain := 'gmail.com';
    END IF;
    IF v_domain = 'gmail.com' THEN
        v_local := replace(v_local, '.', '');
    END IF;
    RETURN v_local || '@' || v_domain;
END
$$;

COMMENT ON FUNCTION people.normalize_email(text) IS 'v1';
