from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0003_renewal_signals"),
        ("companies", "0008_renewal_dates_trigger_v2"),
    ]
    operations = [
        RunSQLFile(
            SQL / "0004_renewal_signals_stored_dates.sql", reverse=SQL / "0003_renewal_signals.sql"
        ),
    ]
