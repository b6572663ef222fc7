from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0005_history"),
    ]
    operations = [
        RunSQLFile(SQL / "0006_history_v2.sql", reverse=SQL / "0005_history.sql"),
    ]
