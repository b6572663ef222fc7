from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0007_campaign_preflight_v2"),
        ("companies", "0008_renewal_dates_trigger_v2"),
    ]
    operations = [
        RunSQLFile(SQL / "0008_renewal_ready_walk.sql"),
    ]
