-- 0005_title_rules: classifier rules found missing by the 103-title test set
-- (tests/db/title_cases.csv): "Product Owner", "Principal Engineer" and "Co-Founder & CTO" were
-- read as CEO, "Director, Finance" as nothing. Rules are data; classify_title is unchanged.
INSERT INTO company.title_rule (rule_id, kind, role_code, pattern, weight, label) VALUES
    (7, 'exclude', NULL, '\m(product|process|data|service|system|content) owner\M', 1,
        'owner of a product or process'),
    (8, 'exclude', NULL,
        '\mprincipal (software |data |staff |research |solutions? )?(engineer|scientist|architect|designer|developer|analyst|product manager|program manager)\M',
        1, 'principal individual contributor'),
    (9, 'exclude', NULL,
        '^(?!.*\m(ceo|chief executive|president|cfo|chief financ\w*|chro|chief (people|human resources?|talent|hr))\M).*\m(cto|coo|cmo|cpo|cio|cro|chief (technology|operating|marketing|product|information|revenue) officer)\M',
        1, 'another C-level role'),
    (37, 'include', 'CFO', '\m(head|director),\s*finance\M', 0.80, 'director, finance')
ON CONFLICT (rule_id) DO NOTHING;
