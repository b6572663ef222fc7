-- Reverse of 0002_f_ingest_json.
DROP FUNCTION IF EXISTS intake.f_ingest_json(jsonb[], text, text);
