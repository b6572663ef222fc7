"""intake.raw_load_fields v2: the raw field vocabulary v2 with "_norm" values preferred and safe
SQL fallbacks (SQL in ``sql/0060_raw_load_fields_v2*.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0050_ingest_per_row_failure"),
    ]
    operations = [
        RunSQLFile(SQL / "0060_raw_load_fields_v2.sql"),
    ]
