from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0002_marketing_rules"),
        ("companies", "0003_company_rules"),
        ("people", "0002_people_rules"),
    ]
    operations = [
        RunSQLFile(SQL / "0003_campaign_rules.sql"),
    ]
