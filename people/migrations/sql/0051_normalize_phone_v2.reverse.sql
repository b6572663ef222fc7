-- Reverse of 0051_normalize_phone_v2: v1 (digits only, 10 digits assumed US).
CREATE OR REPLACE FUNCTION people.normalize_phone(p_phone text)
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
    v_digits := regexp_replace(v, '[^0-9]', '', 'g');
    IF length(v_digits) < 7 THEN
        RETURN NULL;
    END IF;
    IF left(v, 1) = '+' THEN
        RETURN '+' || v_digits;
    END IF;
    IF left(v_digits, 2) = '00' THEN
        RETURN '+' || substr(v_digits, 3);
    END IF;
    IF length(v_digits) = 10 THEN
        RETURN '+1' || v_digits;
    END IF;
    IF length(v_digits) = 11 AND left(v_digits, 1) = '1' THEN
        RETURN '+' || v_digits;
    END IF;
    RETURN '+' || v_digits;
END
$$;
COMMENT ON FUNCTION people.normalize_phone(text) IS 'v1';
DROP FUNCTION IF EXISTS people.normalize_phone(text, text);
REINDEX INDEX people.contact_norm_phone_idx;
