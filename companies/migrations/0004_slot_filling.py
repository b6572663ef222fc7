from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0003_company_rules"),
        ("people", "0002_people_rules"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0004_slot_filling.sql").read_text(),
            (SQL / "0004_slot_filling.reverse.sql").read_text(),
        ),
    ]
