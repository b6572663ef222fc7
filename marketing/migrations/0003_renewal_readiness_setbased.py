from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    # Numbered 0003 (the numbers this work owns) but applied after the handoff migration 0004 so
    # the graph keeps a single leaf.
    dependencies = [
        ("marketing", "0003_campaign_rules"),
        ("marketing", "0004_handoff_sla"),
    ]
    operations = [
        RunSQLFile(SQL / "0003_renewal_readiness_setbased.sql"),
    ]
