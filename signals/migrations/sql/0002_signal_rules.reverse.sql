-- Reverse of 0002_signal_rules.
SELECT public.redefine_fk('bit.contact_score', 'contact_id', 'NO ACTION');
SELECT public.redefine_fk('bit.company_score', 'company_id', 'NO ACTION');
SELECT public.redefine_fk('bit.signal', 'contact_id', 'NO ACTION');
SELECT public.redefine_fk('bit.signal', 'company_id', 'NO ACTION');
