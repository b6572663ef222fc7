from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0003_renewal_signals"),
        ("companies", "0008_renewal_dates_trigger_v2"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0004_renewal_signals_stored_dates.sql").read_text(),
            (SQL / "0004_renewal_signals_stored_dates.reverse.sql").read_text(),
        ),
    ]
