from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("companies", "0009_version_stamps")]
    operations = [
        RunSQLFile(SQL / "0010_shared_history.sql"),
    ]
