-- Reverse of 0093_filter_indexes.
DROP INDEX IF EXISTS company.company_industry_upper_trgm_idx;
DROP INDEX IF EXISTS company.company_state_upper_idx;
