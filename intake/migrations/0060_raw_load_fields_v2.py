"""intake.raw_load_fields v2: the raw field vocabulary v2 with "_norm" values preferred and safe
SQL fallbacks (SQL in ``sql/0060_raw_load_fields_v2*.sql``)."""

from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_batch_summary_v3"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0060_raw_load_fields_v2.sql").read_text(),
            (SQL / "0060_raw_load_fields_v2.reverse.sql").read_text(),
        ),
    ]
