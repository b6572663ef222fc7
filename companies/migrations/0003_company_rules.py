from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_initial"),
        ("people", "0001_initial"),
    ]
    operations = [
        RunSQLFile(SQL / "0003_company_rules.sql"),
    ]
