from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0003_campaign_rules"),
    ]
    operations = [
        RunSQLFile(SQL / "0004_handoff_sla.sql"),
    ]
