from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0002_marketing_rules"),
        ("companies", "0003_company_rules"),
        ("people", "0002_people_rules"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0003_campaign_rules.sql").read_text(),
            (SQL / "0003_campaign_rules.reverse.sql").read_text(),
        ),
    ]
