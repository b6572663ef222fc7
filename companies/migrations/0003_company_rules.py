from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_initial"),
        ("people", "0001_initial"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0003_company_rules.sql").read_text(),
            (SQL / "0003_company_rules.reverse.sql").read_text(),
        ),
    ]
