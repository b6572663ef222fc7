from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0007_campaign_preflight_v2"),
        ("companies", "0008_renewal_dates_trigger_v2"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0008_renewal_ready_walk.sql").read_text(),
            (SQL / "0008_renewal_ready_walk.reverse.sql").read_text(),
        ),
    ]
