from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0001_initial"),
        ("people", "0002_people_rules"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0002_marketing_rules.sql").read_text(),
            (SQL / "0002_marketing_rules.reverse.sql").read_text(),
        ),
    ]
