from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0003_campaign_rules"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0004_handoff_sla.sql").read_text(),
            (SQL / "0004_handoff_sla.reverse.sql").read_text(),
        ),
    ]
