from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    # Numbered 0003 (the numbers this work owns) but applied after the handoff migration 0004 so
    # the graph keeps a single leaf.
    dependencies = [
        ("marketing", "0003_campaign_rules"),
        ("marketing", "0004_handoff_sla"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0003_renewal_readiness_setbased.sql").read_text(),
            (SQL / "0003_renewal_readiness_setbased.reverse.sql").read_text(),
        ),
    ]
