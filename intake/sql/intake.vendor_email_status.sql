-- intake.vendor_email_status (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

-- A vendor's own e-mail status word as a verification colour (evidence only).
CREATE OR REPLACE FUNCTION intake.vendor_email_status(p_status text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN s IN ('verified', 'valid', 'deliverable', 'ok', 'safe', 'good') THEN 'green'
        WHEN s IN ('catch-all', 'catchall', 'catch_all', 'accept-all', 'accept_all',
                   'acceptall', 'risky', 'guessed', 'likely', 'extrapolated', 'unverified')
             THEN 'yellow'
        WHEN s IN ('invalid', 'bounced', 'bounce', 'undeliverable', 'bad', 'do_not_mail',
                   'do-not-mail', 'spamtrap', 'disposable') THEN 'red'
        ELSE 'gray' END
    FROM (SELECT lower(btrim(p_status)) AS s) x
$$;

COMMENT ON FUNCTION intake.vendor_email_status(text) IS 'v1';

GRANT EXECUTE ON FUNCTION intake.vendor_email_status(text) TO vault_writer, outreach_app;
