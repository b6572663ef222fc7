-- people.is_personal_email_domain (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- Free-mail domains: a shared domain there says nothing about working together.
CREATE OR REPLACE FUNCTION people.is_personal_email_domain(p_domain text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT lower(p_domain) = ANY (ARRAY[
        'gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'hotmail.com', 'outlook.com',
        'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me',
        'protonmail.com', 'gmx.com', 'mail.com', 'comcast.net', 'verizon.net', 'att.net',
        'sbcglobal.net', 'yahoo.co.uk', 'hotmail.co.uk'])
$$;

COMMENT ON FUNCTION people.is_personal_email_domain(text) IS 'v1';
