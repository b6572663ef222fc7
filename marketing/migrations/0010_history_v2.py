from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0009_history"),
    ]
    operations = [
        RunSQLFile(SQL / "0010_history_v2.sql", reverse=SQL / "0009_history.sql"),
    ]
