from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0006_campaign_members_setbased"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0007_campaign_preflight_v2.sql").read_text(),
            (SQL / "0007_campaign_preflight_v2.reverse.sql").read_text(),
        ),
    ]
