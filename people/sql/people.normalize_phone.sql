-- people.normalize_phone (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Best-effort E.164: digits only; 10 digits are a US/NANP number (+1); 00 is an international
-- prefix; an extension (x123, ext. 123) is dropped. Fewer than 7 digits is not a phone number.
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
