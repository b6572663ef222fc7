from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0010_history_v2"),
    ]
    operations = [
        RunSQLFile(SQL / "0011_version_stamps.sql"),
    ]
