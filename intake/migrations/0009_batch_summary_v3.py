from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0008_batch_summary_truncate_v2"),
    ]
    operations = [
        RunSQLFile(SQL / "0009_batch_summary_v3.sql"),
    ]
