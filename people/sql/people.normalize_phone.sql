-- people.normalize_phone (function, v2): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- 0051_normalize_phone_v2: people.normalize_phone never produces a wrong E.164 number.
-- It is the SQL fallback for raw intake.f_ingest_json callers that send no "_norm" (Python's
-- phonenumbers is the real normaliser) and the key of duplicate detection (index
-- contact_norm_phone_idx, people.detect_duplicates), so a wrong value merges strangers.
--   * international forms only with '+' or '00': 8..15 digits, first digit 1-9 (E.164);
--     "+44 (0)20 …" drops the bracketed trunk 0
--   * a national number (no '+' / '00') needs a default region: normalize_phone(text, region)
--     knows 'US'/'CA' (NANP: NXX NXX XXXX, optionally led by 1) and returns NULL for any other
--     region or none; normalize_phone(text) is normalize_phone(text, 'US'), as v1 assumed
--   * letters other than an extension marker, or any other shape -> NULL
--   So "020 7946 0958" (a UK national number, no prefix) is NULL, never +02079460958.
-- Who may call: anyone (IMMUTABLE helper, no privileges needed); no SECURITY DEFINER.
-- Run by the schema owner.

CREATE OR REPLACE FUNCTION people.normalize_phone(p_phone text, p_default_region text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text := btrim(p_phone);
    v_digits text;
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    v := regexp_replace(v, '\s*(x|ext\.?|extension)\s*[0-9]+\s*$', '', 'i');
    v := regexp_replace(v, '\(\s*0\s*\)', '', 'g');
    IF v !~ '^\+?[0-9 ().\-/]+$' THEN
        RETURN NULL;  -- letters, a second '+', or other characters: not a phone number
    END IF;
    v_digits := regexp_replace(v, '[^0-9]', '', 'g');
    IF left(v, 1) = '+' THEN
        NULL;
    ELSIF left(v_digits, 2) = '00' THEN
        v_digits := substr(v_digits, 3);
    ELSIF upper(p_default_region) IN ('US', 'CA') THEN
        IF v_digits ~ '^1?[2-9][0-9]{2}[2-9][0-9]{6}$' THEN
            RETURN '+1' || right(v_digits, 10);
        END IF;
        RETURN NULL;
    ELSE
        RETURN NULL;  -- a national number without a known region: no trustworthy E.164
    END IF;
    IF v_digits ~ '^[1-9][0-9]{7,14}$' THEN
        RETURN '+' || v_digits;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION people.normalize_phone(p_phone text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT people.normalize_phone(p_phone, 'US')
$$;

COMMENT ON FUNCTION people.normalize_phone(text, text) IS 'v2';

COMMENT ON FUNCTION people.normalize_phone(text) IS 'v2';
