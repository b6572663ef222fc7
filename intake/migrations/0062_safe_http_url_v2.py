"""intake.safe_http_url v2: one URL rule (public.normalize_http_url) for raw loads without
"_norm"; reverse = the previous snapshot (0060, safe to re-run)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0061_f_promote_contacts_v3"),
        ("companies", "0050_http_urls"),
    ]
    operations = [
        RunSQLFile(SQL / "0062_safe_http_url_v2.sql", reverse=SQL / "0060_raw_load_fields_v2.sql"),
    ]
