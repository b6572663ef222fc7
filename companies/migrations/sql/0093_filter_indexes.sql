-- companies 0093 (issue 18): index the company list's and the open-slot queue's industry and
-- state filters in the form Django writes them on PostgreSQL: ``icontains`` is
-- UPPER("industry"::text) LIKE UPPER('%…%') (a trigram GIN index on upper(industry) answers a
-- LIKE with any infix), ``iexact`` is UPPER("state_region"::text) = UPPER('…') (a btree on
-- upper(state_region)). The plain indexes on the columns (company_industry_idx,
-- company_state_idx) serve neither. tests/db/test_filter_indexes.py checks the plans.
CREATE INDEX IF NOT EXISTS company_industry_upper_trgm_idx ON company.company
    USING gin (upper(industry) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS company_state_upper_idx ON company.company (upper(state_region));
