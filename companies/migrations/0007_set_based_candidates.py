from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0006_renewal_dates_stored"),
    ]
    operations = [
        RunSQLFile(SQL / "0007_set_based_candidates.sql"),
    ]
