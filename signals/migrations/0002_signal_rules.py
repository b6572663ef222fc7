from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0001_initial"),
        ("companies", "0003_company_rules"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0002_signal_rules.sql").read_text(),
            (SQL / "0002_signal_rules.reverse.sql").read_text(),
        ),
    ]
