from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0006_campaign_members_setbased"),
    ]
    operations = [
        RunSQLFile(SQL / "0007_campaign_preflight_v2.sql"),
    ]
