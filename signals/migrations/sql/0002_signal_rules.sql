-- 0002_signal_rules: foreign-key actions for the bit schema. Run by the schema owner.
SELECT public.redefine_fk('bit.signal', 'company_id', 'CASCADE');
SELECT public.redefine_fk('bit.signal', 'contact_id', 'SET NULL');
SELECT public.redefine_fk('bit.company_score', 'company_id', 'CASCADE');
SELECT public.redefine_fk('bit.contact_score', 'contact_id', 'CASCADE');
