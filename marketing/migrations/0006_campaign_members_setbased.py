from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0005_renewal_readiness_indexed"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0006_campaign_members_setbased.sql").read_text(),
            (SQL / "0006_campaign_members_setbased.reverse.sql").read_text(),
        ),
    ]
