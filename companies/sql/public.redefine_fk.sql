-- public.redefine_fk (function, v1): the live definition. The migrations hold frozen snapshots;
-- to change it, edit here, bump the stamp, copy into a new migration (docs/SQL.md).

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
