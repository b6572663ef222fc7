from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0008_batch_summary_truncate_v2"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0009_batch_summary_v3.sql").read_text(),
            (SQL / "0009_batch_summary_v3.reverse.sql").read_text(),
        ),
    ]
