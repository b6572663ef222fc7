from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        RunSQLFile(SQL / "0001_foundation.sql"),
    ]
