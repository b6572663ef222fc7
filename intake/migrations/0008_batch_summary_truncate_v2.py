from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0007_batch_summary_v2"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0008_batch_summary_truncate_v2.sql").read_text(),
            (SQL / "0008_batch_summary_truncate_v2.reverse.sql").read_text(),
        ),
    ]
