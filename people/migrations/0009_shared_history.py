from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_version_stamps"),
        ("companies", "0010_shared_history"),
    ]
    operations = [
        RunSQLFile(SQL / "0009_shared_history.sql"),
    ]
