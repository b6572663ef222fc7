from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0003_company_rules"),
        ("people", "0002_people_rules"),
    ]
    operations = [
        RunSQLFile(SQL / "0004_slot_filling.sql"),
    ]
