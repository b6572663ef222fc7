from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_duplicate_queue_order"),
    ]
    operations = [
        RunSQLFile(SQL / "0008_version_stamps.sql"),
    ]
