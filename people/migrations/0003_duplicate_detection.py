from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_people_rules"),
    ]
    operations = [
        RunSQLFile(SQL / "0003_duplicate_detection.sql"),
    ]
