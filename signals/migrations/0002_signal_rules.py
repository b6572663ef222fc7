from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0001_initial"),
        ("companies", "0003_company_rules"),
    ]
    operations = [
        RunSQLFile(SQL / "0002_signal_rules.sql"),
    ]
