from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0005_renewal_readiness_indexed"),
    ]
    operations = [
        RunSQLFile(SQL / "0006_campaign_members_setbased.sql"),
    ]
