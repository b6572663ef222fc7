-- Reverse of 0005_title_rules.
DELETE FROM company.title_rule WHERE rule_id IN (7, 8, 9, 37);
